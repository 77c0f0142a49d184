// A base map the district configures (issue 17): MAP_STYLE_URL pointing at a style on ANOTHER
// origin, as an intranet tile server is. The app is started for this spec alone, as the README
// starts it plus that one setting (and a small demo district, to be quick); a tile server on a
// third port serves the style and plain PNG tiles with CORS. Before, the app's own CSP
// (connect-src 'self') blocked the style and the page claimed it "无法访问".
import { createServer } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';
import { freePort, startApp } from '../support/app.mjs';
import { expect, PASSWORD, test, USERS } from './fixtures.mjs';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

/** A 256×256 PNG of one colour: signature, IHDR, IDAT (deflated rows, filter 0), IEND. */
function solidPng([r, g, b]) {
	const chunk = (type, data) => {
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const len = Buffer.alloc(4);
		len.writeUInt32BE(data.length);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(body));
		return Buffer.concat([len, body, crc]);
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(256, 0);
	ihdr.writeUInt32BE(256, 4);
	ihdr.set([8, 2, 0, 0, 0], 8);
	const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(256 * 3).map((_, i) => [r, g, b][i % 3])]);
	const raw = Buffer.concat(Array.from({ length: 256 }, () => row));
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

let tiles;
let tileServer;
let origin;
let app;
let base;
const tileRequests = [];

test.beforeAll(async () => {
	const tile = solidPng([200, 230, 201]);
	const tilePort = await freePort();
	origin = `http://127.0.0.1:${tilePort}`;
	tileServer = createServer((req, res) => {
		const cors = { 'access-control-allow-origin': '*' };
		if (req.url === '/style.json') {
			res.writeHead(200, { ...cors, 'content-type': 'application/json' });
			res.end(JSON.stringify({ version: 8, name: '内网瓦片', sources: { t: { type: 'raster', tiles: [`${origin}/tiles/{z}/{x}/{y}.png`], tileSize: 256, attribution: '内网瓦片' } }, layers: [{ id: 't', type: 'raster', source: 't' }] }));
		} else if (/^\/tiles\/\d+\/\d+\/\d+\.png$/.test(req.url ?? '')) {
			tileRequests.push(req.url);
			res.writeHead(200, { ...cors, 'content-type': 'image/png' });
			res.end(tile);
		} else {
			res.writeHead(404, cors);
			res.end();
		}
	});
	await new Promise((r) => tileServer.listen(tilePort, '127.0.0.1', r));
	app = await startApp({ logPath: 'test-results/e2e/basemap-style/server.log', env: { MAP_STYLE_URL: `${origin}/style.json`, SEED_HOUSEHOLDS: '3000' } });
	base = `http://grid.intranet:${app.port}`;
	tiles = tileRequests;
});

test.afterAll(async () => {
	await app?.stop();
	await new Promise((r) => (tileServer ? tileServer.close(r) : r()));
});

test('the map draws the configured style from another origin: the CSP allows it, no fallback notice', async ({ browser }) => {
	const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	const cspErrors = [];
	page.on('console', (m) => {
		if (/Content Security Policy|Refused to connect/i.test(m.text())) cspErrors.push(m.text());
	});
	// ready means seeded: the status page answers before the small district is in
	// (while the embedded database is created the server may drop a connection: that is "not yet")
	const ready = () => fetch(`http://127.0.0.1:${app.port}/api/status`).then((r) => r.json()).then((j) => j.ready === true, () => false);
	await expect.poll(ready, { timeout: 240_000, intervals: [1000] }).toBe(true);
	await page.goto(`${base}/login?redirect=%2F`);
	await page.fill('input[name=username]', USERS.leader);
	await page.fill('input[name=password]', PASSWORD);
	await Promise.all([page.waitForURL((u) => u.pathname !== '/login', { timeout: 60_000 }), page.click('button[type=submit]')]);
	const res = await page.goto(`${base}/`);
	expect(res?.headers()['content-security-policy'], 'the policy names the style origin').toMatch(new RegExp(`connect-src [^;]*${origin.replace(/[.:/]/g, '\\$&')}`));
	await page.waitForFunction(() => window.__gridmapReady === true, null, { timeout: 180_000, polling: 250 });
	await expect.poll(() => tiles.length, { timeout: 30_000, message: 'tiles fetched from the other origin' }).toBeGreaterThan(0);
	await expect(page.getByText('配置的底图样式无法访问')).toHaveCount(0);
	expect(cspErrors, cspErrors.join('\n')).toEqual([]);
	await page.screenshot({ path: 'test-results/e2e/basemap-style/configured-style.png' });
	await context.close();
});
