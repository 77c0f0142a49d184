// The offline base map at street zoom (issue 16), as the grid worker sees it: on their own grid at
// zoom 16 the building marks and building names are really drawn (MapLibre rendered features),
// a local road's name renders, and the grid worker's building tiles hold only their own grids'
// buildings. Screenshots at zoom 16, desk and phone, light and dark (switched by the theme toggle,
// as a user does, on the page already open), go to test-results; the building tiles' sizes and
// times (cold: built by the server; warm: from its cache) are logged.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';

const OUT = 'test-results/e2e/basemap';
const DESK = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
test.describe.configure({ mode: 'serial', timeout: 600_000 });

/** The map page for `username` in `theme`, loaded and idle; records the building tiles it fetched. */
async function openMap(browser, options, theme = 'light') {
	const { context, page } = await signedIn(browser, USERS.gridWorker, options);
	await context.addCookies([{ name: 'theme', value: theme, url: BASE }]);
	const tiles = [];
	page.on('requestfinished', async (r) => {
		if (!new URL(r.url()).pathname.startsWith('/api/map/buildings/')) return;
		const res = await r.response();
		tiles.push({ url: r.url(), status: res?.status(), bytes: (await r.sizes()).responseBodySize, ms: r.timing().responseEnd, count: Number(res?.headers()['x-building-count']) });
	});
	await page.goto(`${BASE}/`, { waitUntil: 'load', timeout: 120_000 });
	await page.waitForFunction(() => window.__gridmapReady === true, null, { timeout: 300_000, polling: 250 });
	await idle(page);
	return { context, page, tiles };
}

async function idle(page) {
	await page.evaluate(() => new Promise((r) => {
		const m = window.__gridmap.map;
		if (m.loaded() && !m.isMoving() && m.areTilesLoaded()) r();
		else m.once('idle', r);
	}));
	await page.waitForTimeout(300);
}

/** Moves the map to (lon, lat) at `zoom` and waits until it is drawn. */
async function jump(page, center, zoom) {
	// 'idle' after the move itself: the map may still call itself loaded before the new tiles are asked for
	await page.evaluate(([c, z]) => new Promise((r) => {
		const m = window.__gridmap.map;
		m.once('idle', r);
		m.jumpTo({ center: c, zoom: z });
		m.triggerRepaint();
	}), [center, zoom]);
	await page.waitForTimeout(300);
}

/** Rendered features of the given layers in the viewport. */
const rendered = (page, layers) => page.evaluate((ls) => window.__gridmap.map.queryRenderedFeatures({ layers: ls }).map((f) => ({ layer: f.layer.id, ...f.properties })), layers);

/** The centre of the grid worker's own first grid. */
const myGridCentre = (page) => page.evaluate(() => {
	const f = window.__gridmap.grids.features.find((g) => g.properties.mine);
	const pts = f.geometry.coordinates.flat(2);
	const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
	return { code: f.properties.code, centre: [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2] };
});

/** A building of the viewer's in view at zoom 15: the densest one, where a worker would look first. */
async function aBuilding(page, centre) {
	await jump(page, centre, 15);
	const marks = await page.evaluate(() => window.__gridmap.map.queryRenderedFeatures({ layers: ['building'] }).map((f) => ({ c: f.geometry.coordinates, n: f.properties.households, name: f.properties.name })));
	expect(marks.length, 'building marks drawn at zoom 15 over the grid worker\'s grid').toBeGreaterThan(0);
	return marks.sort((a, b) => b.n - a.n)[0];
}

let spot; // where the screenshots are taken: a building of the grid worker's grid

test('zoom 16 on the grid worker\'s grid: building marks and names are drawn, only their own grids\' buildings come, a local road is named; light and dark at a desk', async ({ browser }) => {
	const { context, page, tiles } = await openMap(browser, DESK);
	const { code, centre } = await myGridCentre(page);
	expect(code).toBe('430199001001001');
	const b = await aBuilding(page, centre);
	spot = b.c;
	await jump(page, spot, 16);
	expect(await page.evaluate(() => window.__gridmap.map.getZoom())).toBe(16);
	const marks = await rendered(page, ['building']);
	expect(marks.length).toBeGreaterThan(0);
	for (const m of marks) expect(m.households).toBeGreaterThan(0);
	const names = await rendered(page, ['label-building']);
	expect(names.length, 'building names drawn at zoom 16').toBeGreaterThan(0);
	expect(names.map((n) => n.name)).toContain(b.name);
	// the tiles came from the building endpoint, scoped and versioned (?v=): nothing below zoom 15
	expect(tiles.length).toBeGreaterThan(0);
	for (const t of tiles) {
		expect(t.status).toBe(200);
		expect(Number(new URL(t.url).pathname.split('/')[4])).toBeGreaterThanOrEqual(15);
		expect(new URL(t.url).searchParams.get('v')).toMatch(/~/);
	}
	// row-level security, seen from the page: a tile of another street is empty for this 网格员
	const other = await page.evaluate(async () => {
		const f = window.__gridmap.grids.features.find((g) => !g.properties.mine && g.properties.code.slice(0, 9) !== '430199001');
		const [lon, lat] = f.geometry.coordinates.flat(2)[0];
		const z = 15, x = Math.floor(((lon + 180) / 360) * 2 ** z);
		const y = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
		const res = await fetch(`/api/map/buildings/${z}/${x}/${y}`);
		return { status: res.status, count: res.headers.get('x-building-count') };
	});
	expect(other).toEqual({ status: 200, count: '0' });
	const low = await page.evaluate(async () => (await fetch('/api/map/buildings/12/3370/1713')).status);
	expect(low).toBe(400);
	console.log(`building tiles fetched on the way to zoom 16: ${tiles.map((t) => `${new URL(t.url).pathname.split('/').slice(4).join('/')} ${t.bytes} B ${t.count} buildings ${t.ms.toFixed(0)} ms`).join('; ')}`);
	await roadNamed(page, centre);
	await screenshots(page, 'desk', () => page.getByRole('button', { name: /深色主题/ }).click());
	await context.close();
});

/** A local road near the grid worker's grid is named at zoom 16, and not before street zoom. */
async function roadNamed(page, centre) {
	// the named local road nearest to the grid worker's grid, from the base map's own data
	const road = await page.evaluate((c) => {
		const roads = window.__gridmap.map.querySourceFeatures('basemap', { filter: ['==', ['get', 'kind'], 'road_local'] });
		let best = null;
		for (const r of roads) {
			if (!r.properties.name) continue;
			const pts = r.geometry.type === 'LineString' ? r.geometry.coordinates : r.geometry.coordinates.flat();
			const mid = pts[Math.floor(pts.length / 2)];
			const d = Math.hypot(mid[0] - c[0], mid[1] - c[1]);
			if (!best || d < best.d) best = { d, mid, name: r.properties.name };
		}
		return best;
	}, centre);
	expect(road, 'a named local road in the base map').not.toBeNull();
	await jump(page, road.mid, 16);
	const labels = await rendered(page, ['label-road-local']);
	expect(labels.length, `local road names drawn at zoom 16 near ${road.name}`).toBeGreaterThan(0);
	expect(labels.map((l) => l.name)).toContain(road.name);
	await jump(page, road.mid, 14);
	expect(await rendered(page, ['label-road-local'])).toEqual([]); // not before street zoom
}

/** At `spot` on zoom 16: a screenshot in the light theme, then `toDark()` (the theme toggle) and one in the dark. */
async function screenshots(page, device, toDark) {
	mkdirSync(OUT, { recursive: true });
	await jump(page, spot, 16);
	for (const theme of ['light', 'dark']) {
		if (theme === 'dark') {
			await toDark();
			await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
			await idle(page);
		}
		expect((await rendered(page, ['building'])).length, `building marks drawn (${device}, ${theme})`).toBeGreaterThan(0);
		expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
		await page.screenshot({ path: path.join(OUT, `z16-${device}-${theme}.png`) });
	}
}

test('screenshots at zoom 16 on the grid worker\'s grid on a phone, light and dark', async ({ browser }) => {
	const { context, page } = await openMap(browser, PHONE);
	if (!spot) spot = (await aBuilding(page, (await myGridCentre(page)).centre)).c;
	await screenshots(page, 'phone', async () => {
		// on a phone the theme toggle is in 更多
		await page.getByRole('button', { name: '更多' }).tap();
		await page.getByRole('button', { name: /深色主题/ }).tap();
		await page.getByRole('button', { name: '更多' }).tap(); // and closes it, to see the map
		await expect(page.getByRole('button', { name: '更多' })).toHaveAttribute('aria-expanded', 'false');
	});
	await context.close();
});
