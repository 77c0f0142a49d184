// Charts (ECharts): the big screen's 14-day trend and rankings, and /kpi's trend of each KPI. Each
// chart is read through its option (the __charts test hook: src/lib/components/ui/EChart.svelte)
// and compared with the figures the API gives for the same scope; hovering a point shows its
// value in the tooltip; the pages load with no CSP violation or console error.
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';

const OUT = artifacts('charts');
test.describe.configure({ mode: 'serial' });

/** Console errors and CSP violations of a page, from before its first script runs. */
async function watchConsole(page) {
	const problems = [];
	page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
	page.on('pageerror', (e) => problems.push(e.message));
	await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP: ${e.violatedDirective} ${e.blockedURI}`)));
	return problems;
}

const option = (page, id) => page.evaluate((id) => window.__charts.option(id), id);
const waitForCharts = (page, ids) => page.waitForFunction((ids) => ids.every((id) => window.__charts?.ids().includes(id)), ids, { timeout: 240_000 });

/** Hovers point `index` of series `series` and returns the tooltip's text. */
async function hover(page, id, series, index) {
	const at = await page.evaluate(([id, s, i]) => window.__charts.pixel(id, s, i), [id, series, index]);
	await page.mouse.move(at.x, at.y);
	// ECharts puts its tooltip in the chart's box
	const tip = page.locator(`[data-testid=${id}] > div:not(:first-child)`).filter({ hasText: /\S/ }).last();
	await expect(tip).toBeVisible();
	return (await tip.innerText()).replace(/\s+/g, ' ');
}

test('big screen: the trend and the rankings are ECharts with axes and the summary’s figures; the tooltip shows a day’s numbers', async ({ browser }) => {
	const { context, page } = await signedIn(browser, 'screen', { viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1, timezoneId: 'Asia/Shanghai' });
	try {
		const problems = await watchConsole(page);
		await page.goto(`${BASE}/screen?tour=600`);
		await waitForCharts(page, ['trend-chart', 'rank-streets-chart', 'rank-departments-chart']);
		const summary = await page.evaluate(() => fetch('/api/screen/summary', { cache: 'no-store' }).then((r) => r.json()));

		const trend = await option(page, 'trend-chart');
		expect(trend.xAxis[0].data).toEqual(summary.trend.map((d) => d.day));
		expect(trend.series.map((s) => s.name)).toEqual(['上报', '办结']);
		expect(trend.series[0].data).toEqual(summary.trend.map((d) => d.reported));
		expect(trend.series[1].data).toEqual(summary.trend.map((d) => d.resolved));
		// axes drawn, labels readable at 10 m (≥ 18 px), values ≥ 22 px, a legend
		expect(trend.xAxis[0].axisLabel.fontSize).toBeGreaterThanOrEqual(18);
		expect(trend.yAxis[0].axisLabel.fontSize).toBeGreaterThanOrEqual(18);
		expect(trend.series[0].endLabel.fontSize).toBeGreaterThanOrEqual(22);
		expect(trend.legend[0].data ?? trend.series.map((s) => s.name)).toEqual(['上报', '办结']);

		// the street ranking: the summary's streets in its order (the best, then the last two), bars = 办结率
		const streets = await option(page, 'rank-streets-chart');
		const names = streets.yAxis[0].data.filter((n) => !n.startsWith('⋯'));
		const bars = streets.series[1].data.filter((d) => d !== '-').map((d) => d.value);
		const shown = summary.streets.length <= 6 ? summary.streets : [...summary.streets.slice(0, 3), ...summary.streets.slice(-2)];
		expect(names.map((n) => n.replace(/^\d+ /, ''))).toEqual(shown.map((s) => s.name));
		expect(bars).toEqual(shown.map((s) => s.close ?? 0));
		expect(streets.yAxis[1].data.filter(Boolean)).toEqual(shown.map((s) => `超期 ${s.overdue}`));
		expect(streets.series[1].label.fontSize).toBeGreaterThanOrEqual(22);
		const departments = await option(page, 'rank-departments-chart');
		expect(departments.series[1].data.filter((d) => d !== '-').length).toBe(Math.min(summary.departments.length, 5));
		// the rows for screen readers hold the same names
		await expect(page.locator('[data-testid=rank-streets] tbody tr')).toHaveCount(shown.length);

		// the tooltip of the last day names both figures
		const last = summary.trend.length - 1;
		const tip = await hover(page, 'trend-chart', 0, last);
		expect(tip).toContain(summary.trend[last].day);
		expect(tip).toMatch(new RegExp(`上报\\s*${summary.trend[last].reported}`));
		expect(tip).toMatch(new RegExp(`办结\\s*${summary.trend[last].resolved}`));
		const streetTip = await hover(page, 'rank-streets-chart', 1, 0);
		expect(streetTip).toContain(shown[0].name);
		expect(streetTip).toContain(`在办 ${shown[0].open}`);

		await page.screenshot({ path: `${OUT}/screen-charts-1920x1080.png` });
		expect(problems).toEqual([]);
	} finally {
		await context.close();
	}
});

test('/kpi: a trend per KPI with its target and the figures /api/kpi gives for each piece; a table without the canvas', async ({ browser }) => {
	const { context, page } = await signedIn(browser, USERS.leader);
	try {
		const problems = await watchConsole(page);
		await page.goto(`${BASE}/kpi`);
		await waitForCharts(page, ['kpi-trend-accept_rate', 'kpi-trend-overdue', 'kpi-trend-visit_coverage']);
		const rows = page.locator('[data-testid=kpi-trend-table] tbody tr');
		// (the table sits in a closed <details>: its text, not its rendering)
		const spans = (await rows.locator('th').allTextContents()).map((t) => t.trim());
		expect(spans.length).toBeGreaterThan(1);

		const accept = await option(page, 'kpi-trend-accept_rate');
		expect(accept.xAxis[0].data.length).toBe(spans.length);
		expect(accept.xAxis[0].axisLabel.show).not.toBe(false);
		expect(accept.yAxis[0].max).toBe(1);
		// the target line: the target the tile states (目标 ≥ 95%)
		const targetText = await page.locator('[data-kpi=accept_rate] .target').innerText();
		expect(accept.series[0].markLine.data[0].yAxis * 100).toBeCloseTo(Number(targetText.match(/([\d.]+)%/)[1]), 6);

		// the last two pieces: each point is /api/kpi's figure for that piece of the same area
		const area = await page.locator('select[name=area]').inputValue();
		for (const i of [spans.length - 2, spans.length - 1]) {
			const [from, to = from] = spans[i].split(' 至 ');
			const api = await page.evaluate((q) => fetch(`/api/kpi?${q}`).then((r) => r.json()), new URLSearchParams({ ...(area ? { area } : {}), from, to, days: '90' }).toString());
			for (const key of ['accept_rate', 'close_rate', 'overdue', 'visit_coverage']) {
				const o = key === 'accept_rate' ? accept : await option(page, `kpi-trend-${key}`);
				const point = o.series[0].data[i].value;
				const want = api.kpis.find((k) => k.key === key).value;
				expect({ key, span: spans[i], value: point === '-' ? null : point }).toEqual({ key, span: spans[i], value: want });
			}
		}
		// the table states the same figure as the chart
		const lastCell = (await rows.last().locator('td[data-series-kpi=close_rate]').textContent()).trim();
		const close = (await option(page, 'kpi-trend-close_rate')).series[0].data.at(-1).value;
		// one decimal, never rounded up to 100 % (domain/numbers.ts)
		const tenths = close === '-' ? null : Math.round(close * 1000);
		expect(lastCell).toBe(tenths === null ? '—' : `${((close < 1 && tenths >= 1000 ? 999 : tenths) / 10).toFixed(1)}%`);

		const tip = await hover(page, 'kpi-trend-close_rate', 0, spans.length - 1);
		expect(tip).toContain(spans.at(-1));
		expect(tip).toContain(`办结率 ${lastCell}`);
		await expect(page.locator('[data-testid=kpi-trend-accept_rate]')).toHaveAttribute('aria-label', /受理率趋势/);
		await page.screenshot({ path: `${OUT}/kpi-charts-desktop.png`, fullPage: true });
		expect(problems).toEqual([]);
	} finally {
		await context.close();
	}
});

test('/kpi on a phone: the trends fit the width', async ({ browser }) => {
	const { context, page } = await signedIn(browser, USERS.leader, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
	try {
		await page.goto(`${BASE}/kpi`);
		await waitForCharts(page, ['kpi-trend-accept_rate']);
		const box = await page.locator('[data-testid=kpi-trend-accept_rate]').boundingBox();
		expect(box.width).toBeGreaterThan(250);
		expect(box.x + box.width).toBeLessThanOrEqual(390);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await page.locator('[data-testid=kpi-trends]').screenshot({ path: `${OUT}/kpi-charts-phone.png` });
	} finally {
		await context.close();
	}
});
