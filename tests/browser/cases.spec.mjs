// 立案审核 and 督办 in the browser (issue 19), on desktop: the dispatcher voids one new request and
// merges a duplicate into its original from the triage card (立案派单 / 作废 / 合并 side by side),
// then 立案派单 the original; the department accepts it and asks for 延期; the dispatcher sees it in
// the workspace and approves it; a leader 督办 it and 催办 twice (the second goes to the command
// centre too) and finds it under 我督办的.
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';

test.describe.configure({ mode: 'serial' });
const DESKTOP = { viewport: { width: 1440, height: 960 } };

let dispatcher;
/** the three requests this run made: A is voided, C merged into B */
const ids = {};

const submit = async (page, selector) => {
	await Promise.all([page.waitForURL((u) => u.search.includes('done=') || u.search.includes('case='), { timeout: 30_000 }), page.click(selector)]);
	await page.waitForLoadState('networkidle');
};

test.beforeAll(async ({ browser }) => {
	dispatcher = await signedIn(browser, USERS.dispatcher, DESKTOP);
	// a place with reported 垃圾清运 (区城管局): three new reports there, the last two the same problem
	const list = await (await dispatcher.page.request.get(`${BASE}/api/requests?category=environment.garbage&limit=1`)).json();
	const { lon, lat } = list.rows[0];
	for (const [key, description] of [['a', '测试：垃圾桶满溢（将作废）'], ['b', '测试：小区垃圾无人清运（原诉求）'], ['c', '测试：小区垃圾无人清运（重复上报）']]) {
		const res = await dispatcher.page.request.post(`${BASE}/api/requests`, {
			data: { categoryCode: 'environment.garbage', description, lon: lon + 0.0001, lat }, headers: { origin: BASE }
		});
		expect(res.status(), await res.text()).toBe(201);
		ids[key] = (await res.json()).id;
	}
});
test.afterAll(() => dispatcher?.context.close());

test('the dispatcher voids a report from the triage card, with a reason', async () => {
	const { page } = dispatcher;
	await page.goto(`${BASE}/requests/${ids.a}`);
	await expect(page.locator('[data-testid=triage]')).toBeVisible();
	for (const form of ['move-dispatch', 'move-void', 'move-merge']) await expect(page.locator(`[data-testid=${form}]`)).toBeVisible();
	await expect(page.locator('[data-testid=move-dispatch] button')).toHaveText('立案派单');
	await page.fill('[data-testid=move-void] input[name=reason]', '现场核实，垃圾已清理');
	await submit(page, '[data-testid=move-void] button');
	await expect(page.locator('[data-testid=status]')).toHaveText('已作废');
	await expect(page.locator('[data-testid=timeline]')).toContainText('现场核实，垃圾已清理');
	await expect(page.locator('[data-testid=triage]')).toHaveCount(0);
});

test('the dispatcher merges a duplicate into the nearby original, which then lists it', async () => {
	const { page } = dispatcher;
	await page.goto(`${BASE}/requests/${ids.c}`);
	// the nearby original is suggested
	await expect(page.locator(`[data-testid=merge-into] option[value="${ids.b}"]`)).toHaveCount(1);
	await page.selectOption('[data-testid=merge-into]', String(ids.b));
	await page.fill('[data-testid=move-merge] input[name=reason]', '同一小区同一问题，重复上报');
	await submit(page, '[data-testid=move-merge] button');
	await expect(page.locator('[data-testid=status]')).toHaveText('已合并');
	await expect(page.locator('[data-testid=merged-into]')).toContainText('已合并到');
	await page.click('[data-testid=merged-into] a');
	await page.waitForURL((u) => u.pathname === `/requests/${ids.b}`);
	await expect(page.locator('[data-testid=duplicates]')).toContainText('重复上报');
	// 立案派单 of the original to its category's department
	await submit(page, '[data-testid=move-dispatch] button');
	await expect(page.locator('[data-testid=status]')).toHaveText('已派单');
});

test('the department accepts and asks for 延期; the dispatcher approves it from the workspace', async ({ browser }) => {
	const dept = await signedIn(browser, USERS.department, DESKTOP);
	try {
		await dept.page.goto(`${BASE}/requests/${ids.b}`);
		await submit(dept.page, '[data-testid=move-accept] button');
		await expect(dept.page.locator('[data-testid=status]')).toHaveText('已接单');
		await dept.page.fill('[data-testid=extension-ask] input[name=days]', '3');
		await dept.page.fill('[data-testid=extension-ask] input[name=reason]', '需协调环卫车辆，预计三个工作日');
		await submit(dept.page, '[data-testid=extension-ask] button');
		await expect(dept.page.locator('[data-testid=case-done]')).toContainText('等待指挥中心审批');
		await expect(dept.page.locator('[data-testid=extensions]')).toContainText('待审批');
	} finally {
		await dept.context.close();
	}
	const { page } = dispatcher;
	await page.goto(`${BASE}/workspace`);
	await expect(page.locator('[data-testid=extensions]')).toContainText('需协调环卫车辆');
	await page.click(`[data-testid=extensions] a[href="/requests/${ids.b}"]`);
	await page.waitForURL((u) => u.pathname === `/requests/${ids.b}`);
	await expect(page.locator('[data-testid=extension-pending]')).toContainText('3 个工作日');
	await submit(page, '[data-testid=extension-approve] button');
	await expect(page.locator('[data-testid=case-done]')).toContainText('已批准延期');
	await expect(page.locator('[data-testid=extensions]')).toContainText('已批准');
	await expect(page.locator('[data-testid=timeline]')).toContainText('新办结时限');
});

test('a leader 督办 and 催办 twice; the request is under 我督办的', async ({ browser }) => {
	const leader = await signedIn(browser, USERS.leader, DESKTOP);
	const { page } = leader;
	try {
		await page.goto(`${BASE}/requests/${ids.b}`);
		await page.fill('[data-testid=supervise] input[name=note]', '请本周内清运完毕');
		await submit(page, '[data-testid=supervise] button');
		await expect(page.locator('[data-testid=case-done]')).toContainText('已加入督办');
		await expect(page.locator('[data-testid=supervised]')).toBeVisible();
		await page.fill('[data-testid=urge] input[name=message]', '居民再次反映，请尽快处理');
		await submit(page, '[data-testid=urge] button');
		await expect(page.locator('[data-testid=case-done]')).toHaveText('已催办，承办部门已收到通知');
		await page.fill('[data-testid=urge] input[name=message]', '第二次催办');
		await submit(page, '[data-testid=urge] button');
		await expect(page.locator('[data-testid=case-done]')).toContainText('已同时报告指挥中心');
		await expect(page.locator('[data-testid=urges]')).toContainText('第 2 次');
		await page.goto(`${BASE}/workspace`);
		await expect(page.locator('[data-testid=supervised]')).toContainText('催办 2 次');
	} finally {
		await leader.context.close();
	}
});
