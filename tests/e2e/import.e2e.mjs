#!/usr/bin/env node
// Browser check of 数据导入 on the seeded demo district (BASE_URL): a leader is refused; an admin
// previews a grids GeoJSON that overlaps a demo grid (the overlap is listed and drawn), previews a
// households CSV with one bad row (named, commit disabled), then commits the corrected CSV with
// progress and sees it written and recorded. Only two households are added to the demo district,
// so the browser files that run after this one see the district they expect.
import path from 'node:path';
import { BASE, artifacts, createChecks, launchBrowser, openPage, waitReady } from './harness.mjs';

const OUT = artifacts('import');
const checks = createChecks('import');
const { check } = checks;

const browser = await launchBrowser();
await checks.runToEnd(browser, run);

async function run() {
	await waitReady(240);
	const { page } = await openPage(browser, { viewport: { width: 1440, height: 1000 } });
	const refused = await page.goto(`${BASE}/login/demo?user=leader1&redirect=/admin/import`);
	check('a leader may not open 数据导入', refused.status() === 403, `HTTP ${refused.status()}`);

	await page.goto(`${BASE}/login/demo?user=admin&redirect=/admin/import`);
	await page.locator('form[data-hydrated=true]').waitFor({ timeout: 60_000 });
	check('the admin sees 数据导入 in the navigation', await page.locator('nav.app-nav a[href="/admin/import"]').isVisible());

	// a demo grid, and a new grid in its community shifted onto it
	const grids = await (await page.request.get(`${BASE}/api/map/grids`)).json();
	const g = grids.features[0];
	const ring = g.geometry.coordinates[0][0];
	const shifted = ring.map(([x, y]) => [x + 0.001, y]);
	const community = g.properties.community;
	const newGrid = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 网格编码: `${community}901`, 网格名称: '导入测试网格' }, geometry: { type: 'Polygon', coordinates: [shifted] } }] };
	await page.selectOption('select[name=layer]', 'grids');
	await page.setInputFiles('input[type=file]', { name: 'grids.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(newGrid)) });
	await page.getByRole('button', { name: '预览检查' }).click();
	await page.locator('[data-testid=import-report]').waitFor({ timeout: 30_000 });
	const issues = await page.locator('[data-testid=import-issues]').innerText();
	check('the overlapping grid is previewed with an overlap warning naming the demo grid', issues.includes('重叠') && issues.includes(g.properties.code), issues.split('\n').slice(0, 3).join(' | '));
	await page.waitForFunction(() => window.__importMapReady === true, null, { timeout: 30_000 });
	await page.waitForTimeout(800);
	await page.screenshot({ path: path.join(OUT, 'import-grids-preview.png'), fullPage: true });

	// households: the vertex average of the demo grid's ring lies inside it (Voronoi cells are convex)
	const [cx, cy] = [0, 1].map((k) => ring.slice(0, -1).reduce((s, p) => s + p[k], 0) / (ring.length - 1));
	const stamp = Date.now().toString(36);
	const rows = [`户主姓名,电话,经度,纬度,地址,家庭人口`, `导入甲${stamp},13812340001,${cx},${cy},导入测试楼1号,2`, `导入乙${stamp},,${cx + 0.0001},${cy},导入测试楼2号,3`];
	await page.selectOption('select[name=layer]', 'households');
	await page.setInputFiles('input[type=file]', { name: 'households-bad.csv', mimeType: 'text/csv', buffer: Buffer.from([...rows, `导入丙${stamp},,${cx},${cy},导入测试楼3号,三口`, `导入丁${stamp},,${cx + 0.05},${cy + 0.05},辖区外,2`].join('\n')) });
	await page.getByRole('button', { name: '预览检查' }).click();
	const alert = await page.locator('[data-testid=import-report] [role=alert]').innerText({ timeout: 30_000 });
	const bad = await page.locator('[data-testid=import-issues]').innerText();
	check('the bad row is named with its column and problem', bad.includes('第 4 行') && bad.includes('家庭人口') && bad.includes('必须是数字'), bad.split('\n').slice(0, 2).join(' | '));
	check('a point outside every grid is named too', bad.includes('第 5 行') && bad.includes('不在任何网格内'), bad.split('\n').slice(2, 3).join(' | '));
	await page.waitForFunction(() => window.__importMapReady === true, null, { timeout: 30_000 });
	await page.waitForTimeout(800);
	await page.screenshot({ path: path.join(OUT, 'import-households-errors.png'), fullPage: true });
	check('nothing can be committed while a row has an error', alert.includes('没有写入任何数据') && (await page.getByRole('button', { name: '提交导入' }).isDisabled()), alert);

	await page.setInputFiles('input[type=file]', { name: 'households.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
	await page.getByRole('button', { name: '预览检查' }).click();
	await page.locator('[data-testid=import-report] [role=status]').filter({ hasText: '预览通过' }).waitFor({ timeout: 30_000 });
	const preview = await page.locator('[data-testid=import-preview]').innerText();
	check('the preview lists both households matched to the demo grid', preview.includes(`导入甲${stamp}`) && preview.includes(`导入乙${stamp}`) && preview.split(g.properties.code).length === 3, preview.split('\n').slice(0, 3).join(' | '));
	await page.waitForFunction(() => window.__importMapReady === true, null, { timeout: 30_000 });
	await page.waitForTimeout(800);
	await page.screenshot({ path: path.join(OUT, 'import-households-preview.png'), fullPage: true });

	const sawProgress = page.waitForSelector('[role=progressbar]', { timeout: 10_000 }).then(() => true, () => false);
	await page.getByRole('button', { name: '提交导入' }).click();
	const done = await page.locator('[data-testid=import-report] [role=status]').filter({ hasText: '已提交导入' }).innerText({ timeout: 30_000 });
	check('progress is shown while it commits', await sawProgress);
	check('the commit reports two households written', done.includes('住户 2 条'), done);
	await page.reload();
	await page.locator('form[data-hydrated=true]').waitFor({ timeout: 60_000 });
	const jobs = await page.locator('[data-testid=import-jobs]').innerText();
	check('the import is recorded in 导入记录', jobs.includes('households.csv') && jobs.includes('追加'), jobs.split('\n').slice(0, 2).join(' | '));
	const status = (await page.request.post(`${BASE}/api/import`, { headers: { origin: BASE }, multipart: { layer: 'grids', crs: 'wgs84', file: { name: 'x.geojson', mimeType: 'application/json', buffer: Buffer.from('{"type":"Feature"}') } } }));
	const body = await status.text();
	check('the API answers a broken file with a structured error', body.includes('"code":"not_feature_collection"') && body.includes('FeatureCollection'), body.trim());
	await page.screenshot({ path: path.join(OUT, 'import-committed.png'), fullPage: true });
}
