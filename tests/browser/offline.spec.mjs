// The offline app (issue 16) on a phone (390×844, touch): the installable PWA (manifest, icons,
// service worker precaching the shell, every request to this origin only), offline reading of the
// grid worker's /workspace, and the outbox: a report with photos made offline is kept over a
// reload, synced once when the network returns (even when two copies of it are sent), and a
// refused one stays with the server's reason. Service workers need a secure context, so these run
// at http://localhost:PORT (the browser counts localhost as secure); the last case runs at the
// intranet address over plain http, where the app says that offline use and 定位 need https.
import { readFileSync } from 'node:fs';
import { test, expect, BASE, PASSWORD, USERS, signedIn, LOCAL } from './fixtures.mjs';
import { artifacts } from '../support/browser.mjs';

const OUT = artifacts('offline');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const USER = USERS.gridWorker;
const GRID = USER.slice(2);
const PHOTOS = ['icon-192.png', 'maskable-192.png'].map((name) => ({
	name,
	mimeType: 'image/png',
	buffer: readFileSync(new URL(`../../static/icons/${name}`, import.meta.url))
}));
const run = Date.now().toString(36);

test.describe.configure({ mode: 'serial' });

let context;
let page;

/** Signs in at localhost through the password form (the fixtures' sessions belong to grid.intranet). */
async function signInLocal(browser) {
	context = await browser.newContext({ locale: 'zh-CN', ...PHONE });
	page = await context.newPage();
	page.on('pageerror', (e) => console.log('page error:', e.message));
	await page.goto(`${LOCAL}/login?redirect=${encodeURIComponent('/workspace')}`);
	await page.fill('input[name=username]', USER);
	await page.fill('input[name=password]', PASSWORD);
	await Promise.all([page.waitForURL((u) => u.pathname === '/workspace', { timeout: 60_000 }), page.click('button[type=submit]')]);
}

/** Bytes held in the caches whose names pass `which` (each response's body). */
const cachedBytes = (which) =>
	page.evaluate(async (pattern) => {
		let bytes = 0;
		let entries = 0;
		const each = [];
		for (const name of await caches.keys()) {
			if (!new RegExp(pattern).test(name)) continue;
			const cache = await caches.open(name);
			for (const req of await cache.keys()) {
				const res = await cache.match(req);
				const size = (await res.blob()).size;
				bytes += size;
				entries++;
				each.push(`${new URL(req.url).pathname} ${size}`);
			}
		}
		return { bytes, entries, each };
	}, which);

/** The outbox's items as IndexedDB holds them (files counted, not read). */
const outboxItems = () =>
	page.evaluate(
		() =>
			new Promise((resolve, reject) => {
				const open = indexedDB.open('grid-outbox');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const all = open.result.transaction('items').objectStore('items').getAll();
					all.onsuccess = () => resolve(all.result.map((i) => ({ ...i, files: i.files.map((f) => ({ name: f.name, size: f.blob.size })) })));
					all.onerror = () => reject(all.error);
				};
			})
	);

/** The form hydrated (its submit handler attached): MapLibre's canvas is made on mount. */
async function reportFormReady() {
	await expect(page.locator('[data-testid=report-map] canvas').first()).toBeAttached({ timeout: 30_000 });
	await expect(page.locator('[data-testid=report-map]')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
	await expect(page.getByTestId('submit-report')).toBeVisible();
}

async function fillReport({ title, description, category = true }) {
	if (category) {
		const first = await page.locator('[data-testid=category] option:not([value=""])').first().getAttribute('value');
		await page.getByTestId('category').selectOption(first);
	}
	// the title is under 更多 on the field form: open it when it is folded
	const titleInput = page.locator('input[name=title]');
	if (!(await titleInput.isVisible())) await page.locator('details.more > summary').click();
	await titleInput.fill(title);
	await page.getByTestId('description').fill(description);
}

test.afterAll(async () => {
	await context?.close();
});

test('the service worker installs, controls the page and precaches the shell; the manifest is valid; nothing comes from another origin', async ({ browser }) => {
	const foreign = [];
	await signInLocal(browser);
	context.on('request', (r) => {
		const u = new URL(r.url());
		if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== LOCAL) foreign.push(r.url());
	});
	// the worker claims the page that registered it at activation; a reload is controlled for sure
	await page.evaluate(() => navigator.serviceWorker.ready);
	await page.reload();
	expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${LOCAL}/service-worker.js`);

	const shell = await cachedBytes('^shell-');
	console.log(`precached app shell: ${shell.entries} files, ${shell.bytes} bytes`);
	expect(shell.entries).toBeGreaterThan(20);
	expect(await page.evaluate(async () => !!(await caches.match('/offline.html')))).toBe(true);

	const href = await page.locator('link[rel=manifest]').getAttribute('href');
	const res = await page.request.get(new URL(href, LOCAL).href);
	expect(res.ok()).toBe(true);
	expect(res.headers()['content-type']).toContain('application/manifest+json');
	const manifest = await res.json();
	expect(manifest).toMatchObject({ name: '网格治理地图', lang: 'zh-CN', start_url: '/workspace', display: 'standalone' });
	expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
	const purposes = new Set();
	for (const icon of manifest.icons) {
		const png = await page.request.get(new URL(icon.src, LOCAL).href);
		expect(png.ok(), icon.src).toBe(true);
		expect(png.headers()['content-type']).toBe('image/png');
		const b = await png.body();
		expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
		expect(`${b.readUInt32BE(16)}x${b.readUInt32BE(20)}`).toBe(icon.sizes);
		purposes.add(icon.purpose);
	}
	expect([...purposes].sort()).toEqual(['any', 'maskable']);
	expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
	const start = await page.request.get(new URL(manifest.start_url, LOCAL).href);
	expect(start.status()).toBe(200);

	for (const path of ['/requests/new', '/outbox', '/']) {
		await page.goto(`${LOCAL}${path}`);
		await page.waitForLoadState('networkidle');
	}
	expect(foreign, 'requests to another origin').toEqual([]);
});

test('offline, /workspace still shows my grids, households and open items from the last visit', async () => {
	await page.goto(`${LOCAL}/workspace`);
	const households = page.getByTestId('households');
	await expect(households).toBeVisible();
	const onlineHouseholds = await households.innerText();
	const onlineQueue = await page.getByTestId('queue').innerText();
	await expect(page.locator('[data-testid=household]').first()).toBeVisible();
	// the map's grid outlines are read by the page itself, after it loaded
	await page.waitForLoadState('networkidle');
	const data = await cachedBytes('^offline-data');
	console.log(`offline reading cache for ${USER} (grid ${GRID}): ${data.entries} entries, ${data.bytes} bytes (${data.each.join(', ')})`);
	expect(data.each.some((e) => e.startsWith('/workspace '))).toBe(true);
	expect(data.entries).toBeGreaterThanOrEqual(1);

	await context.setOffline(true);
	await page.reload();
	await expect(households).toBeVisible();
	expect(await households.innerText()).toBe(onlineHouseholds);
	expect(await page.getByTestId('queue').innerText()).toBe(onlineQueue);
	// masked as on the page: no whole phone number or name reached the cache
	expect(onlineHouseholds).not.toMatch(/1[3-9]\d{9}/);
	await page.screenshot({ path: `${OUT}/workspace-offline.png` });

	// a page never opened online answers the Chinese offline page
	await page.goto(`${LOCAL}/kpi`);
	await expect(page.getByRole('heading', { name: '当前没有网络' })).toBeVisible();
	await context.setOffline(false);
});

test('a report with photos made offline waits in the outbox over a reload and is recorded exactly once when the network returns; a refused one stays with its reason', async () => {
	// a point inside the grid worker's own grid, and the form opened there while online
	const grids = await (await page.request.get(`${LOCAL}/api/map/grids`)).json();
	const ring = grids.features.find((f) => f.properties.code === GRID).geometry.coordinates[0][0].slice(0, -1);
	const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length;
	const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
	await page.goto(`${LOCAL}/requests/new?lon=${lon}&lat=${lat}`);
	await reportFormReady();
	// the street around the spot, at building zoom: its tiles are kept as they are drawn
	const buildingsDrawn = () =>
		page.evaluate(
			([x, y]) =>
				new Promise((resolve) => {
					const m = window.__loopMap;
					m.jumpTo({ center: [x, y], zoom: 16 });
					m.once('idle', () => resolve(m.querySourceFeatures('buildings', { sourceLayer: 'buildings' }).length));
					m.triggerRepaint();
				}),
			[lon, lat]
		);
	await expect.poll(buildingsDrawn, { timeout: 30_000 }).toBeGreaterThan(0);
	const tiles = await cachedBytes('^offline-tiles');
	console.log(`building tiles kept for offline use: ${tiles.entries} tiles, ${tiles.bytes} bytes`);
	expect(tiles.entries, 'building tiles kept').toBeGreaterThan(0);
	await page.goto(`${LOCAL}/outbox`);
	await expect(page.getByTestId('outbox-empty')).toBeVisible();

	await context.setOffline(true);
	await page.goto(`${LOCAL}/requests/new?lon=${lon}&lat=${lat}`);
	await reportFormReady();
	// offline, the same street is drawn from the kept tiles: the worker still finds the building
	await expect.poll(buildingsDrawn, { timeout: 30_000 }).toBeGreaterThan(0);
	const tag = `离线上报${run}`;
	await fillReport({ title: tag, description: `${tag}：楼道灯不亮，已拍照（离线时填写）` });
	// two photos, resized on the phone before they are kept
	const photos = PHOTOS;
	await page.getByTestId('photos-pick').setInputFiles(photos);
	await expect(page.locator('[data-testid=photo-thumbs] img')).toHaveCount(2, { timeout: 30_000 });
	await expect(page.locator('[data-testid=photo-thumbs] .busy')).toHaveCount(0, { timeout: 30_000 });
	await page.getByTestId('submit-report').click();
	const badge = page.getByTestId('outbox-badge');
	await expect(badge).toHaveAttribute('data-count', '1');
	await expect(badge).toContainText('待发送');
	let items = await outboxItems();
	expect(items).toHaveLength(1);
	expect(items[0]).toMatchObject({ kind: 'report', refused: false, owner: USER });
	expect(new URL(items[0].url, LOCAL).pathname).toBe('/requests/new');
	// the resized JPEGs, not the camera's files
	expect(items[0].files).toHaveLength(photos.length);
	for (const f of items[0].files) expect(f.size).toBeGreaterThan(0);
	expect(items[0].fields.find(([k]) => k === 'key')?.[1]).toBe(items[0].idempotencyKey);
	await page.screenshot({ path: `${OUT}/report-queued.png` });

	// the page reloaded offline (from the service worker) still has it
	await page.reload();
	await reportFormReady();
	await expect(badge).toHaveAttribute('data-count', '1');

	// a second report on the same kept page, without the category the server requires: queued
	// offline with its own idempotency key, refused when sent
	const bad = `缺类别${run}`;
	await fillReport({ title: bad, description: `${bad}：未选类别`, category: false });
	await page.getByTestId('submit-report').click();
	await expect(badge).toHaveAttribute('data-count', '2');
	items = await outboxItems();
	expect(new Set(items.map((i) => i.idempotencyKey)).size).toBe(2);

	// the first report twice, as after a reply lost on the way or two tabs holding it: same key and body
	await page.evaluate(
		(id) =>
			new Promise((resolve, reject) => {
				const open = indexedDB.open('grid-outbox');
				open.onsuccess = () => {
					const store = open.result.transaction('items', 'readwrite').objectStore('items');
					const get = store.get(id);
					get.onsuccess = () => {
						const copy = { ...get.result, id: `${id}-copy`, createdAt: get.result.createdAt + 1 };
						const put = store.put(copy);
						put.onsuccess = () => resolve(undefined);
						put.onerror = () => reject(put.error);
					};
				};
			}),
		items.find((i) => i.label === tag).id
	);

	await page.goto(`${LOCAL}/outbox`);
	await expect(page.getByTestId('outbox-item')).toHaveCount(3);
	await expect(page.getByTestId('outbox-status')).toContainText('当前离线');
	await page.screenshot({ path: `${OUT}/outbox-offline.png` });

	const t0 = Date.now();
	await context.setOffline(false);
	await expect(page.getByTestId('outbox-item')).toHaveCount(1, { timeout: 30_000 });
	const syncMs = Date.now() - t0;
	const left = page.getByTestId('outbox-item');
	await expect(left).toHaveAttribute('data-refused', 'true');
	await expect(left).toContainText(bad);
	const reason = await left.getByTestId('outbox-reason').innerText();
	expect(reason).toMatch(/被退回：.*类别/);
	await expect(badge).toHaveAttribute('data-count', '1');
	console.log(`outbox sync: 3 items (2 copies of one report + 1 refused) settled ${syncMs} ms after the network returned; reason kept: ${reason}`);
	await page.screenshot({ path: `${OUT}/outbox-refused.png` });

	// exactly once: the report is there one time, with its photo(s); the refused one not at all
	const found = await (await page.request.get(`${LOCAL}/api/requests?q=${encodeURIComponent(tag)}&limit=10`)).json();
	expect(found.rows.filter((r) => r.title === tag)).toHaveLength(1);
	const none = await (await page.request.get(`${LOCAL}/api/requests?q=${encodeURIComponent(bad)}&limit=10`)).json();
	expect(none.rows).toHaveLength(0);

	// deleting the refused item empties the outbox
	page.once('dialog', (d) => d.accept());
	await left.getByRole('button', { name: '删除' }).click();
	await expect(page.getByTestId('outbox-empty')).toBeVisible();
	await expect(badge).toHaveCount(0);
});

test('a door-knock recorded offline (an API write, as the knock form sends it) waits in the outbox and is recorded when the network returns', async () => {
	await page.goto(`${LOCAL}/workspace`);
	const first = page.locator('[data-testid=household]').first();
	const householdId = Number(await first.getAttribute('data-household-id'));
	expect(householdId).toBeGreaterThan(0);
	await page.waitForFunction(() => !!window.__outbox);

	await context.setOffline(true);
	const note = `离线走访${run}`;
	const result = await page.evaluate(async ({ householdId, note }) => {
		const key = window.__outbox.newIdempotencyKey();
		const r = await window.__outbox.submitOrQueue({
			kind: 'door_knock', label: `住户 ${householdId}`, url: '/api/door-knocks', format: 'json',
			fields: [], json: { householdId, note, key }, idempotencyKey: key
		});
		return r.status;
	}, { householdId, note });
	expect(result).toBe('queued');
	const badge = page.getByTestId('outbox-badge');
	await expect(badge).toHaveAttribute('data-count', '1');
	const [item] = await outboxItems();
	expect(item).toMatchObject({ kind: 'door_knock', format: 'json', url: '/api/door-knocks', json: { householdId, note } });

	await context.setOffline(false);
	await expect(badge).toHaveCount(0, { timeout: 30_000 });
	expect(await outboxItems()).toEqual([]);
	// visited now: the household left the list of those not visited within the window
	await page.reload();
	await expect(page.getByTestId('households')).toBeVisible();
	await expect(page.locator(`[data-testid=household][data-household-id="${householdId}"]`)).toHaveCount(0);
});

test('signing out empties the kept pages (the next person on this phone does not read them)', async () => {
	expect((await cachedBytes('^offline-data')).entries).toBeGreaterThan(0);
	await page.goto(`${LOCAL}/workspace`);
	// on a phone 退出 is in the 更多 menu
	await page.getByRole('button', { name: '更多' }).click();
	await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.locator('form[action="/logout"] button:visible').click()]);
	await expect.poll(async () => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('offline-data')).length)).toBe(0);
	// the app shell stays: it holds nobody's data
	expect((await cachedBytes('^shell-')).entries).toBeGreaterThan(20);
});

test('over plain http the app says that offline use and 定位 need https, once, and registers no service worker', async ({ browser }) => {
	const { context: ctx, page: p } = await signedIn(browser, USER, PHONE);
	try {
		expect(new URL(p.url()).protocol).toBe('http:');
		expect(await p.evaluate(() => window.isSecureContext)).toBe(false);
		expect(await p.evaluate(() => 'serviceWorker' in navigator)).toBe(false);
		const notice = p.getByTestId('secure-context-notice');
		await expect(notice).toBeVisible();
		await expect(notice).toContainText('https');
		await expect(notice).toContainText('离线');
		await expect(notice).toContainText('定位');
		await p.screenshot({ path: `${OUT}/http-notice.png` });
		// the notice fits the phone (the pages' own widths are the shell's part of issue 16)
		const box = await notice.boundingBox();
		expect(box.x).toBeGreaterThanOrEqual(0);
		expect(box.x + box.width).toBeLessThanOrEqual(390);
		await notice.getByRole('button', { name: '知道了' }).click();
		await expect(notice).toHaveCount(0);
		await p.reload();
		await expect(p.getByTestId('households')).toBeVisible();
		await expect(notice).toHaveCount(0);
	} finally {
		await ctx.close();
	}
});
