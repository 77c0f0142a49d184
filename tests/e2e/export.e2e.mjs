// 导出 as a user does it: the map's 导出 menu downloads the households as CSV (Chinese file name,
// BOM, every household, names masked) and the open requests as GeoJSON; the /requests list's
// 导出 GeoJSON holds exactly the rows the filtered list counts.
//   BASE_URL=http://127.0.0.1:3123 node tests/e2e/export.e2e.mjs
import { readFileSync } from 'node:fs';
import { BASE, artifacts, createChecks, launchBrowser, openPage, waitReady } from './harness.mjs';

const OUT = artifacts('export');
const checks = createChecks('export');
const { check } = checks;
const browser = await launchBrowser();

await checks.runToEnd(browser, async () => {
	await waitReady(300);
	const { page } = await openPage(browser, { viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', acceptDownloads: true });
	const download = async (locator) => {
		const [d] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), locator.click()]);
		return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
	};

	await page.goto(`${BASE}/login/demo?user=leader1&redirect=/`);
	await page.waitForFunction(() => window.__gridmapReady === true, null, { timeout: 600_000, polling: 500 });
	await page.locator('[data-testid=export-menu] summary').click();
	const links = await page.locator('[data-testid=export-menu] a[data-export]').evaluateAll((as) => as.map((a) => a.dataset.export));
	check('the 导出 menu offers 4 layers × GeoJSON/CSV/Excel', links.length === 12, links.join(' '));
	await page.screenshot({ path: `${OUT}/map-export-menu.png` });

	const households = await download(page.locator('[data-export="households.csv"]'));
	const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
	check('the CSV has a Chinese file name', households.name === `住户台账-${today}.csv`, households.name);
	check('the CSV starts with a UTF-8 BOM', households.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])));
	const lines = households.bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
	// the server counts the rows before it streams them and says so in a header
	const total = Number((await page.request.get(`${BASE}/api/export/households.csv`)).headers()['x-export-rows']);
	check('the CSV header uses the import column names', lines[0].startsWith('id,grid_code,building,address,head_name,phone,id_number,size,tags'), lines[0]);
	const headName = lines[0].split(',').indexOf('head_name');
	const masked = lines.slice(1, 200).every((l) => l.split(',')[headName].includes('*'));
	check('a leader gets names masked', masked, lines[1]);
	check('the CSV holds every household', lines.length - 1 === total && total > 1000, `${lines.length - 1} rows, ${total} households`);

	const open = await download(page.locator('[data-export="requests.geojson"]'));
	const fc = JSON.parse(open.bytes.toString('utf8'));
	const allOpen = fc.features.every((f) => ['reported', 'dispatched', 'accepted', 'returned', 'escalated', 'reopened'].includes(f.properties.status));
	check('the open-request GeoJSON holds only open requests as WGS84 points', fc.features.length > 0 && allOpen && fc.features[0].geometry.type === 'Point', `${fc.features.length} features`);

	await page.goto(`${BASE}/requests?status=open&overdue=1`);
	const shown = Number(/共 (\d+) 件/.exec(await page.locator('h2').first().innerText())?.[1]);
	const listed = await download(page.locator('[data-testid=export-geojson]'));
	const rows = JSON.parse(listed.bytes.toString('utf8')).features;
	check('/requests 导出 GeoJSON holds exactly the filtered list', rows.length === shown && shown > 0, `${rows.length} features, list says ${shown}`);
	await page.screenshot({ path: `${OUT}/requests-export.png` });
});
