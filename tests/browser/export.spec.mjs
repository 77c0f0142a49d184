// 导出 as a user does it: the map's 导出 menu downloads the households as CSV (Chinese file name,
// BOM, every household, names masked) and the open requests as GeoJSON; the /requests list's
// 导出 GeoJSON holds exactly the rows the filtered list counts. (was tests/e2e/export.e2e.mjs)
import { readFileSync } from 'node:fs';
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';

const OUT = artifacts('export');
let context;
let page;

const download = async (locator) => {
	const [d] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), locator.click()]);
	return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
};

// a leader's page with downloads on, shared by the cases (each opens what it needs)
test.beforeAll(async ({ browser }) => {
	({ context, page } = await signedIn(browser, USERS.leader, { viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', acceptDownloads: true }));
});
test.afterAll(() => context?.close());

test.describe('the map 导出 menu', () => {
	test.describe.configure({ mode: 'serial' });
	test('offers 4 layers × GeoJSON/CSV/Excel', async () => {
		await page.goto(`${BASE}/`);
		await page.waitForFunction(() => window.__gridmapReady === true, null, { timeout: 600_000, polling: 500 });
		await page.locator('[data-testid=export-menu] summary').click();
		const links = await page.locator('[data-testid=export-menu] a[data-export]').evaluateAll((as) => as.map((a) => a.dataset.export));
		expect(links, links.join(' ')).toHaveLength(12);
		await page.screenshot({ path: `${OUT}/map-export-menu.png` });
	});

	test('the households CSV: Chinese file name, BOM, Chinese headers, masked names, every household, with progress shown', async () => {
		const progress = page.locator('[data-testid=export-progress]');
		// the rows counted while they arrive, of the total the server announced
		const seen = expect(progress, 'progress is shown while the file streams').toHaveText(/正在导出住户 CSV：[\d,]+ ?\/ ?[\d,]+ 条/, { timeout: 60_000 });
		const households = await download(page.locator('[data-export="households.csv"]'));
		await seen;
		const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
		expect(households.name, 'the CSV has a Chinese file name').toBe(`住户台账-${today}.csv`);
		expect(households.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'the CSV starts with a UTF-8 BOM').toBe(true);
		const lines = households.bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
		// the server counts the rows before it streams them and says so in a header
		const total = Number((await page.request.get(`${BASE}/api/export/households.csv`)).headers()['x-export-rows']);
		// a file for people: Chinese headers (which the import reads back, as it reads codes=1's names)
		expect(lines[0], 'the CSV header is in Chinese').toMatch(/^编号,网格编码,楼栋\/院落,地址,户主姓名,联系电话,身份证号,户人数,重点人群标签,最近走访时间/);
		const headName = lines[0].split(',').indexOf('户主姓名');
		const masked = lines.slice(1, 200).every((l) => l.split(',')[headName].includes('*'));
		expect(masked, `a leader gets names masked: ${lines[1]}`).toBe(true);
		expect(lines.length - 1, `the CSV holds every household: ${lines.length - 1} rows, ${total} households`).toBe(total);
		expect(total).toBeGreaterThan(1000);
	});

	test('the open-request GeoJSON holds only open requests as WGS84 points', async () => {
		const open = await download(page.locator('[data-export="requests.geojson"]'));
		const fc = JSON.parse(open.bytes.toString('utf8'));
		const allOpen = fc.features.every((f) => ['reported', 'dispatched', 'accepted', 'returned', 'escalated', 'reopened'].includes(f.properties.status));
		expect(fc.features.length, `${fc.features.length} features`).toBeGreaterThan(0);
		expect(allOpen).toBe(true);
		expect(fc.features[0].geometry.type).toBe('Point');
	});
});

test('/requests 导出 GeoJSON holds exactly the filtered list', async () => {
	await page.goto(`${BASE}/requests?status=open&overdue=1`);
	const shown = Number(/共 (\d+) 件/.exec(await page.locator('h2').first().innerText())?.[1]);
	const listed = await download(page.locator('[data-testid=export-geojson]'));
	const rows = JSON.parse(listed.bytes.toString('utf8')).features;
	expect(rows.length, `${rows.length} features, list says ${shown}`).toBe(shown);
	expect(shown).toBeGreaterThan(0);
	await page.screenshot({ path: `${OUT}/requests-export.png` });
});
