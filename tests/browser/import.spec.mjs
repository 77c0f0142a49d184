// 数据导入 on the seeded demo district: a leader is refused; an admin previews a grids GeoJSON that
// overlaps a demo grid (the overlap is listed and drawn), previews a households CSV with one bad
// row (named, commit disabled), then commits the corrected CSV with progress and sees it written
// and recorded. Only two households are added to the demo district, so the files that run after
// this one see the district they expect. Steps of one walk on one admin page (serial).
// (was tests/e2e/import.e2e.mjs)
import path from 'node:path';
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';

const OUT = artifacts('import');
test.describe.configure({ mode: 'serial' });

let context;
let page;
let g; // a demo grid
let ring;
let rows; // the good households CSV lines
let stamp;

test('a leader may not open 数据导入', async ({ leaderPage }) => {
	const refused = await leaderPage.goto(`${BASE}/admin/import`);
	expect(refused.status(), `HTTP ${refused.status()}`).toBe(403);
});

test.describe('an admin', () => {
	test.beforeAll(async ({ browser }) => {
		({ context, page } = await signedIn(browser, USERS.admin, { viewport: { width: 1440, height: 1000 } }));
	});
	test.afterAll(() => context?.close());

	test('sees 数据导入 in the navigation', async () => {
		await page.goto(`${BASE}/admin/import`);
		await page.locator('form[data-hydrated=true]').waitFor({ timeout: 60_000 });
		expect(await page.locator('nav.app-nav a[href="/admin/import"]').isVisible()).toBe(true);
	});

	test('previews an overlapping grid: the overlap named with the demo grid (beyond the tolerance, refused)', async () => {
		// a demo grid, and a new grid in its community shifted onto it
		const grids = await (await page.request.get(`${BASE}/api/map/grids`)).json();
		g = grids.features[0];
		ring = g.geometry.coordinates[0][0];
		const shifted = ring.map(([x, y]) => [x + 0.001, y]);
		const community = g.properties.community;
		const newGrid = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 网格编码: `${community}901`, 网格名称: '导入测试网格' }, geometry: { type: 'Polygon', coordinates: [shifted] } }] };
		await page.selectOption('select[name=layer]', 'grids');
		await page.setInputFiles('input[type=file]', { name: 'grids.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(newGrid)) });
		await page.getByRole('button', { name: '预览检查' }).click();
		await page.locator('[data-testid=import-report]').waitFor({ timeout: 30_000 });
		const issues = await page.locator('[data-testid=import-issues]').innerText();
		expect(issues, issues.split('\n').slice(0, 3).join(' | ')).toContain('重叠');
		expect(issues).toContain(g.properties.code);
		await page.waitForFunction(() => window.__importMapReady === true, null, { timeout: 30_000 });
		await page.waitForTimeout(800);
		await page.screenshot({ path: path.join(OUT, 'import-grids-preview.png'), fullPage: true });
	});

	test('a households CSV with a bad row and a point outside every grid: both named, nothing can be committed', async () => {
		// households: the vertex average of the demo grid's ring lies inside it (Voronoi cells are convex)
		const [cx, cy] = [0, 1].map((k) => ring.slice(0, -1).reduce((s, p) => s + p[k], 0) / (ring.length - 1));
		stamp = Date.now().toString(36);
		rows = [`户主姓名,电话,经度,纬度,地址,家庭人口`, `导入甲${stamp},13812340001,${cx},${cy},导入测试楼1号,2`, `导入乙${stamp},,${cx + 0.0001},${cy},导入测试楼2号,3`];
		await page.selectOption('select[name=layer]', 'households');
		await page.setInputFiles('input[type=file]', { name: 'households-bad.csv', mimeType: 'text/csv', buffer: Buffer.from([...rows, `导入丙${stamp},,${cx},${cy},导入测试楼3号,三口`, `导入丁${stamp},,${cx + 0.05},${cy + 0.05},辖区外,2`].join('\n')) });
		await page.getByRole('button', { name: '预览检查' }).click();
		const alert = await page.locator('[data-testid=import-report] [role=alert]').innerText({ timeout: 30_000 });
		const bad = await page.locator('[data-testid=import-issues]').innerText();
		expect(bad.includes('第 4 行') && bad.includes('家庭人口') && bad.includes('必须是数字'), `the bad row is named with its column and problem: ${bad.split('\n').slice(0, 2).join(' | ')}`).toBe(true);
		expect(bad.includes('第 5 行') && bad.includes('不在任何网格内'), `a point outside every grid is named too: ${bad.split('\n').slice(2, 3).join(' | ')}`).toBe(true);
		await page.waitForFunction(() => window.__importMapReady === true, null, { timeout: 30_000 });
		await page.waitForTimeout(800);
		await page.screenshot({ path: path.join(OUT, 'import-households-errors.png'), fullPage: true });
		expect(alert, 'nothing can be committed while a row has an error').toContain('没有写入任何数据');
		expect(await page.getByRole('button', { name: '提交导入' }).isDisabled()).toBe(true);
	});

	test('the corrected CSV: both households previewed in the demo grid, committed with progress, recorded in 导入记录', async () => {
		await page.setInputFiles('input[type=file]', { name: 'households.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
		await page.getByRole('button', { name: '预览检查' }).click();
		await page.locator('[data-testid=import-report] [role=status]').filter({ hasText: '预览通过' }).waitFor({ timeout: 30_000 });
		const preview = await page.locator('[data-testid=import-preview]').innerText();
		expect(preview.includes(`导入甲${stamp}`) && preview.includes(`导入乙${stamp}`) && preview.split(g.properties.code).length === 3, `the preview lists both households matched to the demo grid: ${preview.split('\n').slice(0, 3).join(' | ')}`).toBe(true);
		await page.waitForFunction(() => window.__importMapReady === true, null, { timeout: 30_000 });
		await page.waitForTimeout(800);
		await page.screenshot({ path: path.join(OUT, 'import-households-preview.png'), fullPage: true });

		// two rows commit in a blink: a MutationObserver in the page notes the bar, however briefly it shows
		await page.evaluate(() => {
			window.__sawProgress = false;
			new MutationObserver(() => {
				if (document.querySelector('[role=progressbar]')) window.__sawProgress = true;
			}).observe(document.body, { childList: true, subtree: true });
		});
		await page.getByRole('button', { name: '提交导入' }).click();
		const done = await page.locator('[data-testid=import-report] [role=status]').filter({ hasText: '已提交导入' }).innerText({ timeout: 30_000 });
		expect(await page.evaluate(() => window.__sawProgress), 'progress is shown while it commits').toBe(true);
		expect(done, 'the commit reports two households written').toContain('住户 2 条');
		await page.reload();
		await page.locator('form[data-hydrated=true]').waitFor({ timeout: 60_000 });
		const jobs = await page.locator('[data-testid=import-jobs]').innerText();
		expect(jobs.includes('households.csv') && jobs.includes('追加'), `the import is recorded in 导入记录: ${jobs.split('\n').slice(0, 2).join(' | ')}`).toBe(true);
	});

	test('the API answers a broken file with a structured error', async () => {
		const status = await page.request.post(`${BASE}/api/import`, { headers: { origin: BASE }, multipart: { layer: 'grids', crs: 'wgs84', file: { name: 'x.geojson', mimeType: 'application/json', buffer: Buffer.from('{"type":"Feature"}') } } });
		const body = await status.text();
		expect(body, body.trim()).toContain('"code":"not_feature_collection"');
		expect(body).toContain('FeatureCollection');
		await page.screenshot({ path: path.join(OUT, 'import-committed.png'), fullPage: true });
	});
});
