// One request walked from 点单 to 销号 through the UI, as the people who do it: a 网格员 reports it
// by clicking the map, the command centre dispatches it to 住建, 住建 accepts and blows the
// whistle (吹哨) to 城管 and 消防, a joint 办结 is refused until both have 报到, each reports from
// its workspace, 住建 resolves, the 网格员 evaluates and closes it. Then the timeline is checked.
//   BASE_URL=http://127.0.0.1:3123 node tests/e2e/request-loop.e2e.mjs
import { BASE, artifacts, createChecks, launchBrowser, openPage, waitReady } from './harness.mjs';

const OUT = artifacts('request-loop');
const { check, finish } = createChecks('request-loop', { passed: 'all checks passed', failed: (n) => `${n} check(s) failed` });

const browser = await launchBrowser();
try {
	await waitReady(300);
	const { page } = await openPage(browser, { viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
	const as = (user, to) => page.goto(`${BASE}/login/demo?user=${user}&redirect=${encodeURIComponent(to)}`);
	const status = () => page.locator('[data-testid=status]').innerText();
	async function move(action, fill = async () => {}) {
		const form = page.locator(`[data-testid=move-${action}]`);
		await fill(form);
		await Promise.all([page.waitForURL(/done=|\/requests\/\d+$/), form.locator('button[type=submit]').click()]);
	}

	// a place inside some grid: where an existing open request lies
	await as('admin', '/');
	const [seed] = (await (await page.request.get(`${BASE}/api/requests?status=open&limit=1`)).json()).rows;
	const grid = seed.gridCode;

	// 1. 点单: the grid's 网格员 clicks the place on the map
	await as(`wg${grid}`, '/requests/new');
	await page.waitForSelector('[data-testid=report-map][data-ready=true]', { timeout: 60_000 });
	const px = await page.evaluate(([lon, lat]) => {
		const m = window.__loopMap;
		m.jumpTo({ center: [lon, lat], zoom: 16 });
		const p = m.project([lon, lat]);
		const r = m.getContainer().getBoundingClientRect();
		return { x: r.left + p.x, y: r.top + p.y };
	}, [seed.lon, seed.lat]);
	await page.mouse.click(px.x, px.y);
	await page.waitForFunction((g) => document.querySelector('[data-testid=picked-grid]')?.textContent?.includes(g), grid, { timeout: 15_000 });
	check('clicking the map finds the grid from the point', true, grid);
	await page.selectOption('[data-testid=category]', 'property.elevator');
	await page.fill('[data-testid=description]', '3栋1单元电梯停运两天，老人上下楼困难（浏览器测试）');
	await page.screenshot({ path: `${OUT}/1-report.png` });
	await Promise.all([page.waitForURL(/\/requests\/\d+\?reported=1/), page.click('[data-testid=submit-report]')]);
	const id = /\/requests\/(\d+)/.exec(page.url())[1];
	check('report saved as 已上报', (await status()) === '已上报', `request ${id}`);
	const detail = `/requests/${id}`;

	// 2. 派单 by the command centre (the category's department, 住建, is preselected)
	await as('dispatcher', detail);
	await move('dispatch');
	check('dispatched', (await status()) === '已派单');

	// 3. 住建 accepts and blows the whistle to 城管 (1) and 消防 (5)
	await as('zhujian1', detail);
	await move('accept');
	check('accepted', (await status()) === '已接单');
	await move('escalate', async (f) => {
		await f.locator('input[name=departments][value="1"]').check();
		await f.locator('input[name=departments][value="5"]').check();
		await f.locator('input[name=reason]').fill('电梯井道渗水并涉及消防通道，需多部门联合处置');
	});
	check('escalated to two departments', (await status()) === '吹哨中' && (await page.locator('[data-testid=whistles] tbody tr').count()) === 2);

	// 4. a joint 办结 before both 报到 is refused with a clear message
	await page.locator('[data-testid=move-resolve] button').click();
	await page.waitForSelector('[data-testid=move-error]');
	const refusal = await page.locator('[data-testid=move-error]').innerText();
	check('办结 refused while departments have not reported', /2 个部门未报到/.test(refusal), refusal);

	// 5. each summoned department reports from its workspace
	for (const user of ['chengguan1', 'xiaofang1']) {
		await as(user, '/workspace');
		const row = page.locator('[data-testid=whistles] tr').filter({ has: page.locator(`a[href="/requests/${id}"]`) });
		await Promise.all([page.waitForURL(/done=/), row.locator('button').click()]);
		check(`${user} 报到 from the workspace`, (await status()) === '吹哨中');
	}
	check('both departments reported', (await page.locator('[data-testid=whistles]').innerText()).match(/按时报到/g)?.length === 2);

	// 6. 住建 resolves; the 网格员 evaluates and closes (销号)
	await as('zhujian1', detail);
	await move('resolve');
	check('resolved', (await status()) === '已办结');
	await as(`wg${grid}`, detail);
	await move('evaluate', async (f) => {
		await f.locator('select[name=satisfaction]').selectOption('satisfied');
		await f.locator('select[name=solved]').selectOption('true');
	});
	check('evaluated', (await status()) === '已评价');
	await move('close');
	check('closed (销号)', (await status()) === '已销号');

	const timeline = await page.locator('[data-testid=timeline] tbody tr td:nth-child(2)').allInnerTexts();
	const expected = ['上报（点单）', '派单', '接单', '吹哨', '报到', '报到', '办结', '评单', '销号'];
	check('the timeline records every move in order, with who', JSON.stringify(timeline) === JSON.stringify(expected), timeline.join(' → '));
	await page.screenshot({ path: `${OUT}/2-closed.png`, fullPage: true });

	// 7. the KPI page renders and its numbers drill down to a list
	await as('leader1', '/kpi');
	await page.waitForSelector('[data-testid=kpi-tiles]');
	await Promise.all([page.waitForURL(/\/requests\?/), page.locator('[data-kpi=accept_rate] a.value').click()]);
	check('a KPI number drills down to its requests', (await page.locator('[data-testid=request-list] tbody tr').count()) > 0);
} catch (e) {
	check('request loop walk-through', false, e.stack || e.message);
} finally {
	await browser.close();
}
finish();
