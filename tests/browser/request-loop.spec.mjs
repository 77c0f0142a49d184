// One request walked from 点单 to 销号 through the UI, as the people who do it: a 网格员 reports it
// by clicking the map, the command centre dispatches it to 住建, 住建 accepts and blows the
// whistle (吹哨) to 城管 and 消防, a joint 办结 is refused until both have 报到, each reports from
// its workspace, 住建 resolves, the 网格员 evaluates, verifies (核查) and closes it. Then the timeline is checked.
// The steps are cases of one walk (serial: a failed step skips the rest), on one page that changes
// user through 演示登录. (was tests/e2e/request-loop.e2e.mjs)
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, openPage, test } from './fixtures.mjs';

const OUT = artifacts('request-loop');
test.describe.configure({ mode: 'serial' });

let context;
let page;
let seed; // an open request: its grid and place
let grid;
let id; // the request this walk files
let detail;

const as = (user, to) => page.goto(`${BASE}/login/demo?user=${user}&redirect=${encodeURIComponent(to)}`);
const status = () => page.locator('[data-testid=status]').innerText();
async function move(action, fill = async () => {}) {
	const form = page.locator(`[data-testid=move-${action}]`);
	await fill(form);
	await Promise.all([page.waitForURL(/done=|\/requests\/\d+$/), form.locator('button[type=submit]').click()]);
}

test.beforeAll(async ({ browser }) => {
	({ context, page } = await openPage(browser, { viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' }));
	// a place inside some grid: where an existing open request lies
	await as('admin', '/');
	[seed] = (await (await page.request.get(`${BASE}/api/requests?status=open&limit=1`)).json()).rows;
	grid = seed.gridCode;
});
test.afterAll(() => context?.close());

test('点单: clicking the map finds the grid from the point, and the report is saved as 已上报', async () => {
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
	// (the old script waited for this and then checked `true`: now it is the assertion)
	await expect(page.locator('[data-testid=picked-grid]'), 'clicking the map finds the grid from the point').toContainText(grid, { timeout: 15_000 });
	await page.selectOption('[data-testid=category]', 'property.elevator');
	await page.fill('[data-testid=description]', '3栋1单元电梯停运两天，老人上下楼困难（浏览器测试）');
	await page.screenshot({ path: `${OUT}/1-report.png` });
	await Promise.all([page.waitForURL(/\/requests\/\d+\?reported=1/), page.click('[data-testid=submit-report]')]);
	id = /\/requests\/(\d+)/.exec(page.url())[1];
	expect(await status(), `request ${id}`).toBe('已上报');
	detail = `/requests/${id}`;
});

test('派单 by the command centre (the category department 住建 preselected)', async () => {
	await as('dispatcher', detail);
	await move('dispatch');
	expect(await status()).toBe('已派单');
});

test('住建 accepts and blows the whistle to 城管 and 消防', async () => {
	await as('zhujian1', detail);
	await move('accept');
	expect(await status(), 'accepted').toBe('已接单');
	await move('escalate', async (f) => {
		await f.locator('input[name=departments][value="1"]').check();
		await f.locator('input[name=departments][value="5"]').check();
		await f.locator('input[name=reason]').fill('电梯井道渗水并涉及消防通道，需多部门联合处置');
	});
	expect(await status(), 'escalated').toBe('吹哨中');
	expect(await page.locator('[data-testid=whistles] tbody tr').count(), 'escalated to two departments').toBe(2);
});

test('办结 refused while departments have not reported', async () => {
	await page.locator('[data-testid=move-resolve] button').click();
	await page.waitForSelector('[data-testid=move-error]');
	const refusal = await page.locator('[data-testid=move-error]').innerText();
	expect(refusal).toMatch(/2 个部门未报到/);
});

test('each summoned department 报到 from its workspace', async () => {
	for (const user of ['chengguan1', 'xiaofang1']) {
		await as(user, '/workspace');
		const row = page.locator('[data-testid=whistles] tr').filter({ has: page.locator(`a[href="/requests/${id}"]`) });
		await Promise.all([page.waitForURL(/done=/), row.locator('button').click()]);
		expect(await status(), `${user} 报到 from the workspace`).toBe('吹哨中');
	}
	expect((await page.locator('[data-testid=whistles]').innerText()).match(/按时报到/g)?.length, 'both departments reported').toBe(2);
});

test('住建 resolves; the 网格员 evaluates and closes (销号)', async () => {
	await as('zhujian1', detail);
	await move('resolve');
	expect(await status(), 'resolved').toBe('已办结');
	await as(`wg${grid}`, detail);
	await move('evaluate', async (f) => {
		await f.locator('select[name=satisfaction]').selectOption('satisfied');
		await f.locator('select[name=solved]').selectOption('true');
	});
	expect(await status(), 'evaluated').toBe('已评价');
	// 电梯故障 requires 核查 before 销号 (domain/verification.ts): the 网格员, not the resolver, verifies with photos
	const jpeg = { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xd9]) };
	const v = page.locator('[data-testid=verify-form]');
	await v.locator('input[name=beforePhoto]').setInputFiles(jpeg);
	await v.locator('input[name=afterPhoto]').setInputFiles(jpeg);
	await Promise.all([page.waitForURL(/check=pass/), v.locator('button').click()]);
	await move('close');
	expect(await status(), 'closed (销号)').toBe('已销号');
});

test('the timeline records every move in order, with who', async () => {
	const timeline = await page.locator('[data-testid=timeline] tbody tr td:nth-child(2)').allInnerTexts();
	const expected = ['上报（点单）', '派单', '接单', '吹哨', '报到', '报到', '办结', '评单', '销号'];
	expect(timeline, timeline.join(' → ')).toEqual(expected);
	await page.screenshot({ path: `${OUT}/2-closed.png`, fullPage: true });
});

test('the KPI page renders and a KPI number drills down to its requests', async () => {
	await as('leader1', '/kpi');
	await page.waitForSelector('[data-testid=kpi-tiles]');
	await Promise.all([page.waitForURL(/\/requests\?/), page.locator('[data-kpi=accept_rate] a.value').click()]);
	expect(await page.locator('[data-testid=request-list] tbody tr').count()).toBeGreaterThan(0);
});
