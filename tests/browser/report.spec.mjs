// The field report at phone size (390×844, touch), as a 网格员 makes it walking the grid: the map
// opens on the own grid and fills half the screen, 定位 says plainly that it needs https here, a tap
// picks the place, the category is found by typing, two camera-sized pictures are resized on the
// phone, the draft survives a reload, and the saved request shows both photos. A place in another
// grid asks first, naming that grid; a refused submission says why beside the field, in Chinese.
// Timed: taps and seconds from opening /requests/new to the saved report; photo bytes before and
// after resizing (written to the artifacts as report-figures.json).
import { writeFileSync } from 'node:fs';
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';
import { png } from '../support/png.mjs';

const OUT = artifacts('report');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const OWN = USERS.gridWorker.slice(2);
test.describe.configure({ mode: 'serial' });

let context;
let page;
let grids; // the district's grids (GeoJSON)
const figures = {};

/** A point inside a grid: the mean of its (convex, Voronoi) ring's corners. */
const inside = (f) => {
	const ring = f.geometry.coordinates[0][0].slice(0, -1);
	return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
};

/** Taps the report map at [lon, lat] (moved there first, as a finger would pan), returns nothing. */
async function tapMap([lon, lat]) {
	const px = await page.evaluate(([x, y]) => {
		const m = window.__loopMap;
		// the form may have scrolled the map away (a question, an error): bring it back under the finger
		m.getContainer().scrollIntoView({ block: 'center' });
		m.jumpTo({ center: [x, y], zoom: 16 });
		const p = m.project([x, y]);
		const r = m.getContainer().getBoundingClientRect();
		return { x: r.left + p.x, y: r.top + p.y };
	}, [lon, lat]);
	await page.touchscreen.tap(px.x, px.y);
}

async function openForm() {
	await page.goto(`${BASE}/requests/new`);
	await page.waitForSelector('[data-testid=report-map][data-ready=true]', { timeout: 60_000 });
}


/** A 4000×3000 picture, as a phone camera's: a sky-to-street gradient, blocks and grain (seeded). */
function cameraPicture(seed) {
	let r = seed * 7919;
	return png(4000, 3000, (x, y, out, o) => {
		r = (r * 1103515245 + 12345) & 0x7fffffff;
		const grain = (r >> 16) % 9 - 4;
		const block = ((x >> 7) * 31 + (y >> 7) * 17 + seed * 13) % 7;
		out[o] = Math.min(255, Math.max(0, 90 + (y >> 4) % 120 + block * 12 + grain));
		out[o + 1] = Math.min(255, Math.max(0, 120 + (x >> 5) % 80 - block * 6 + grain));
		out[o + 2] = Math.min(255, Math.max(0, 200 - (y >> 4) + block * 4 + grain));
	});
}

test.beforeAll(async ({ browser }) => {
	({ context, page } = await signedIn(browser, USERS.gridWorker, PHONE));
	grids = await (await page.request.get(`${BASE}/api/map/grids`)).json();
});
test.afterAll(() => context?.close());

test('a field report with two photos: map on my grid, category by search, draft kept over a reload, saved with both photos', async () => {
	const own = grids.features.find((f) => f.properties.code === OWN);
	expect(own, `the grid worker's own grid ${OWN} is on the map`).toBeTruthy();
	test.setTimeout(480_000);
	// the pictures are made before the clock starts: the camera's part, not the form's
	const files = [1, 2].map((seed) => ({ name: `IMG_000${seed}.png`, mimeType: 'image/png', buffer: cameraPicture(seed) }));

	let taps = 0;
	const started = Date.now();
	await openForm();
	const opened = Date.now();
	// the map is the phone's first half, not a strip
	const box = await page.locator('[data-testid=report-map]').boundingBox();
	expect(box.height, `the map is ${box.height} px high of 844`).toBeGreaterThanOrEqual(0.45 * 844);
	expect(box.width, 'the map is as wide as the card').toBeGreaterThan(300);
	// http://grid.intranet is not a secure context: 定位 says why, tapping the map still works
	await expect(page.locator('[data-testid=locate]')).toBeDisabled();
	await expect(page.locator('[data-testid=locate]')).toHaveText('定位需要 https');
	await expect(page.locator('[data-testid=locate-status]')).toContainText('请在地图上点选位置');
	// the map opened on the own grid: its inside point is in view
	const [lon, lat] = inside(own);
	expect(await page.evaluate(([x, y]) => window.__loopMap.getBounds().contains([x, y]), [lon, lat]), 'the map opens on my grid').toBe(true);

	await tapMap([lon, lat]);
	taps++;
	await expect(page.locator('[data-testid=picked-grid]')).toContainText(OWN, { timeout: 15_000 });
	await expect(page.locator('[data-testid=outside-confirm]'), 'no question for a place in my own grid').toHaveCount(0);

	await page.locator('[data-testid=category-search]').tap();
	taps++;
	await page.keyboard.type('电梯');
	const options = page.locator('[data-testid=category-options] [role=option]');
	await expect(options.first()).toContainText('电梯');
	for (const text of await options.allInnerTexts()) expect(text, 'every match holds what was typed').toContain('电梯');
	// choosing the category asks again for duplicates nearby (the warning comes below the description)
	const checked = page.waitForResponse((r) => r.url().includes('/api/requests/duplicates') && r.url().includes('category='));
	await options.first().tap();
	taps++;
	await checked;
	await expect(page.locator('[data-testid=category-chosen]')).toContainText('电梯');
	const category = await page.locator('[data-testid=category]').inputValue();
	expect(category, 'the search set the form field').not.toBe('');

	const text = `5栋电梯困人后停运，需要维修（手机浏览器测试 ${Date.now()}）`;
	const description = page.locator('[data-testid=description]');
	await description.tap();
	await expect(description).toBeFocused();
	taps++;
	// the phone's keyboard puts the text in at once (in CI, key-by-key typing lost its first key twice
	// in full-suite runs and never alone; the field no longer moves under the finger, see the page)
	await description.fill(text);
	await expect(description).toHaveValue(text);

	// 从相册选: two pictures at once (the camera button takes them one by one)
	await page.locator('[data-testid=photos-pick]').setInputFiles(files);
	taps++;
	await expect(page.locator('[data-testid=photo-thumbs] img')).toHaveCount(2, { timeout: 30_000 });
	await expect(page.locator('[data-testid=photo-thumbs] .busy')).toHaveCount(0, { timeout: 30_000 });
	await page.screenshot({ path: `${OUT}/1-filled.png`, fullPage: true });
	const [width, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	expect(width, `no horizontal scroll: ${width} px in ${inner}`).toBeLessThanOrEqual(inner);

	// the signal drops, the page reloads: nothing typed or taken is lost
	const reloadStarted = Date.now();
	await page.reload();
	await page.waitForSelector('[data-testid=report-map][data-ready=true]', { timeout: 60_000 });
	await expect(page.locator('[data-testid=draft-note]')).toBeVisible();
	await expect(page.locator('[data-testid=description]')).toHaveValue(text);
	await expect(page.locator('[data-testid=category]')).toHaveValue(category);
	await expect(page.locator('[data-testid=picked-grid]')).toContainText(OWN, { timeout: 15_000 });
	await expect(page.locator('[data-testid=photo-thumbs] img'), 'the photos are kept too (IndexedDB)').toHaveCount(2);
	const reloadTook = Date.now() - reloadStarted;

	await Promise.all([page.waitForURL(/\/requests\/\d+\?reported=1/, { timeout: 120_000 }), page.locator('[data-testid=submit-report]').tap()]);
	taps++;
	const saved = Date.now();
	const id = /\/requests\/(\d+)/.exec(page.url())[1];
	await expect(page.locator('[data-testid=status]')).toHaveText('已上报');
	const shown = page.locator('[data-testid=report-photos] img');
	await expect(shown).toHaveCount(2);
	// both pictures load, resized on the phone to 1600 px on the longer edge
	await expect.poll(() => shown.evaluateAll((imgs) => imgs.map((i) => i.naturalWidth)), { timeout: 15_000 }).toEqual([1600, 1600]);
	await page.screenshot({ path: `${OUT}/2-saved.png`, fullPage: true });

	const detail = await (await page.request.get(`${BASE}/api/requests/${id}`)).json();
	expect(detail.description).toBe(text);
	expect(detail.photos.map((p) => p.kind)).toEqual(['report', 'report']);
	const sent = [];
	for (const p of detail.photos) {
		const res = await page.request.get(`${BASE}/api/requests/${id}/photos/${p.id}`);
		expect(res.headers()['content-type']).toBe('image/jpeg');
		sent.push((await res.body()).length);
	}
	// the draft is gone once saved
	await openForm();
	await expect(page.locator('[data-testid=draft-note]')).toHaveCount(0);
	await expect(page.locator('[data-testid=description]')).toHaveValue('');

	Object.assign(figures, {
		taps,
		secondsOpenToSaved: (saved - started) / 1000,
		secondsOpenToSavedWithoutReload: (saved - started - reloadTook) / 1000,
		secondsPageOpen: (opened - started) / 1000,
		photo4000x3000: { pngBytes: files.map((f) => f.buffer.length), uploadedJpegBytes: sent }
	});
	console.log('report figures', JSON.stringify(figures));
	expect(Math.max(...sent), 'each uploaded photo is far smaller than the camera picture').toBeLessThan(Math.min(...files.map((f) => f.buffer.length)) / 3);
});

test('a place outside my grids asks first, naming the grid; the server then refuses it beside the map', async () => {
	const other = grids.features.find((f) => f.properties.code !== OWN && f.properties.code.slice(0, 12) === OWN.slice(0, 12)) ??
		grids.features.find((f) => f.properties.code !== OWN);
	await openForm();
	await tapMap(inside(other));
	const ask = page.locator('[data-testid=outside-confirm]');
	await expect(ask).toContainText(other.properties.code, { timeout: 15_000 });
	await expect(ask).toContainText('不在你负责的网格内');
	const name = (await page.locator('[data-testid=picked-grid]').innerText()).replace(/^所在网格：/, '').replace(/（.*$/, '');
	await expect(ask, 'the question names the grid').toContainText(name);
	await page.screenshot({ path: `${OUT}/3-outside.png` });
	// 重新选点 drops the place
	await page.locator('[data-testid=outside-no]').tap();
	await expect(ask).toHaveCount(0);
	await expect(page.locator('[data-testid=picked-grid]')).toContainText('尚未选点');
	// asked again, and this time confirmed: a 网格员 may not report there, and is told so beside the map
	await tapMap(inside(other));
	await page.locator('[data-testid=outside-yes]').tap();
	await expect(ask).toHaveCount(0);
	await page.selectOption('[data-testid=category]', { index: 1 });
	await page.locator('[data-testid=description]').fill('越界上报测试');
	await page.locator('[data-testid=submit-report]').tap();
	const error = page.locator('[data-testid=error-lon]');
	await expect(error).toContainText(other.properties.code, { timeout: 15_000 });
	expect(new URL(page.url()).pathname).toBe('/requests/new');
	// leave no draft behind for the next case
	await page.evaluate(() => localStorage.clear());
});

test('a refused submission (no description) says why beside the field, in Chinese, never as JSON', async () => {
	const own = grids.features.find((f) => f.properties.code === OWN);
	await openForm();
	await tapMap(inside(own));
	await expect(page.locator('[data-testid=picked-grid]')).toContainText(OWN, { timeout: 15_000 });
	await page.selectOption('[data-testid=category]', { index: 1 });
	await page.locator('[data-testid=submit-report]').tap();
	const error = page.locator('[data-testid=error-description]');
	await expect(error).toHaveText('请填写问题描述（description）', { timeout: 15_000 });
	expect(new URL(page.url()).pathname, 'still on the form').toBe('/requests/new');
	const body = await page.locator('body').innerText();
	expect(body, 'no raw JSON on the page').not.toMatch(/\{"(type|error|message)"/);
	// the description is focused, beside its message
	expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('description');
	await page.screenshot({ path: `${OUT}/4-refused.png` });
	// without a place the form does not even go out: the map says so
	await page.evaluate(() => localStorage.clear());
	await openForm();
	await page.locator('[data-testid=description]').fill('没有选点');
	await page.locator('[data-testid=submit-report]').tap();
	await expect(page.locator('[data-testid=error-lon]')).toContainText('请在地图上点选位置');
	writeFileSync(`${OUT}/report-figures.json`, JSON.stringify(figures, null, 2));
});
