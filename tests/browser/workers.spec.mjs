// 网格员工作情况 (issue 20): a street leader opens the ranking of their street's grid workers, sorts
// it (ranks with ties), opens one worker, and exports the whole ranking as Excel and CSV; the grid
// worker opens their own page on a phone (390×844, touch) and is refused another worker's.
import { readFileSync } from 'node:fs';
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';

const OUT = artifacts('workers');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
test.describe.configure({ mode: 'serial' });

/** ids of two workers of the first street, found by the leader, for the worker's refusal */
let workerIds = [];

test('a street leader ranks, sorts, opens a worker and exports the ranking', async ({ browser }) => {
	const { context, page } = await signedIn(browser, USERS.streetLeader, { viewport: { width: 1440, height: 960 }, acceptDownloads: true });
	await page.goto(`${BASE}/workers`);
	const table = page.locator('[data-testid=worker-ranking]');
	await expect(table).toBeVisible({ timeout: 120_000 });
	const pager = await page.textContent('[data-testid=pager]');
	const total = Number(/共 (\d+) 名/.exec(pager)[1]);
	expect(total, pager).toBeGreaterThan(0);
	expect(await table.locator('tbody tr').count()).toBe(Math.min(total, 50));

	// sorted by 上报数: counts never rise down the list, ranks are competition ranks with 并列
	await page.click('[data-sort=reports]');
	await expect(page).toHaveURL(/sort=reports/);
	const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
		rank: tr.querySelector('[data-testid=rank]').textContent.trim(), reports: Number(tr.querySelector('td[data-label=上报]').textContent)
	})));
	for (let i = 1; i < rows.length; i++) expect(rows[i].reports).toBeLessThanOrEqual(rows[i - 1].reports);
	expect(rows[0].rank).toMatch(/^(并列)?第1$/);
	rows.forEach((r, i) => {
		const first = rows.findIndex((x) => x.reports === r.reports);
		const tied = rows.filter((x) => x.reports === r.reports).length > 1;
		expect(r.rank, `row ${i}`).toBe(`${tied ? '并列' : ''}第${first + 1}`);
	});
	await page.screenshot({ path: `${OUT}/ranking.png`, fullPage: true });

	// the whole ranking as files: every worker of the street, Chinese headers
	const download = async (testid) => {
		const [d] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click(`[data-testid=${testid}]`)]);
		return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
	};
	const csv = await download('export-csv');
	expect(csv.name).toMatch(/网格员排名-\d{4}-\d{2}-\d{2}\.csv$/);
	const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
	expect(lines[0]).toBe('排名,并列,网格员,账号,网格,上报数,走访次数,走访户数,受理率(%),按期办结率(%),超期数,入户走访覆盖率(%),评级');
	expect(lines).toHaveLength(total + 1);
	const xlsx = await download('export-xlsx');
	expect(xlsx.name).toMatch(/\.xlsx$/);
	expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');

	// one worker's page, from the ranking
	workerIds = await table.locator('tbody tr td.card-title a').evaluateAll((as) => as.slice(0, 2).map((a) => Number(/\/workers\/(\d+)/.exec(a.href)[1])));
	await table.locator('tbody tr td.card-title a').first().click();
	await expect(page.locator('[data-testid=worker-tiles]')).toBeVisible();
	expect(await page.locator('[data-testid=worker-tiles] [data-kpi]').count()).toBe(4);
	await expect(page.locator('[data-testid=care-visits]')).toContainText('关爱对象');
	await page.waitForFunction(() => window.__charts?.ids().includes('worker-trend'), null, { timeout: 30_000 });
	await page.screenshot({ path: `${OUT}/worker.png`, fullPage: true });
	await context.close();
});

test('a grid worker reads their own page on a phone and is refused another worker', async ({ browser }) => {
	const { context, page } = await signedIn(browser, USERS.gridWorker, PHONE);
	await page.goto(`${BASE}/workers/me`);
	await expect(page.locator('h1')).toContainText('我的工作');
	await expect(page.locator('[data-testid=worker-tiles] [data-kpi=visit_coverage]')).toBeVisible();
	expect(await page.evaluate(() => document.documentElement.scrollWidth), 'nothing wider than the phone').toBeLessThanOrEqual(390);
	await page.screenshot({ path: `${OUT}/me-phone.png`, fullPage: true });
	const own = Number(await page.getAttribute('[data-testid=worker-head]', 'data-worker-id'));
	const other = workerIds.find((id) => id !== own);
	expect(other, 'the leader found another worker').toBeTruthy();
	const answer = await page.goto(`${BASE}/workers/${other}`);
	expect(answer.status()).toBe(403);
	await expect(page.locator('body')).toContainText('网格员只能查看本人的工作情况');
	await context.close();
});
