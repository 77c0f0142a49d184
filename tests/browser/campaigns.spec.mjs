// 专项行动 end to end (issue 19): a leader defines a campaign at desktop; the first grid's 网格员
// on a phone (390×844, touch) opens it from the workspace, checks a household and answers one item
// "否"; the campaign's dashboard then shows the coverage and the finding, a hazard 待整改.
import { test, expect, BASE, USERS, signedIn } from './fixtures.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const NAME = `燃气复查${Date.now() % 100000}`;
// the first grid's street: its 网格员 is USERS.gridWorker
const STREET = '430199001';

test('leader defines a campaign; the grid worker checks a household on the phone; the dashboard counts the finding', async ({ browser }) => {
	const leader = await signedIn(browser, USERS.leader);
	const lp = leader.page;
	await lp.goto(`${BASE}/campaigns`);
	await lp.getByTestId('campaign-new').click();
	await lp.fill('input[name=name]', NAME);
	await lp.getByTestId('campaign-areas').selectOption([STREET]);
	await lp.locator('input[name=hazardTypes][value=gas]').check();
	const items = ['燃气软管是否完好？', '是否安装燃气报警器？', '灶具是否有熄火保护？'];
	for (const [i, q] of items.entries()) {
		await lp.getByTestId(`campaign-q${i}`).fill(q);
		await lp.getByTestId(`campaign-t${i}`).selectOption('gas');
	}
	await lp.getByTestId('campaign-save').click();
	await lp.waitForURL(/\/campaigns\/\d+$/);
	const dashboard = lp.url();
	await expect(lp.getByTestId('campaign-state')).toHaveText('进行中');
	await expect(lp.getByTestId('fig-findings')).toHaveText('0');

	const worker = await signedIn(browser, USERS.gridWorker, PHONE);
	const wp = worker.page;
	await wp.getByTestId('ws-campaigns').tap();
	await wp.getByTestId('check-campaign').filter({ hasText: NAME }).tap();
	await wp.getByTestId('check-household').first().tap();
	const form = wp.getByTestId('check-form');
	const address = await form.locator('h2').textContent();
	const radios = form.getByRole('radiogroup');
	await radios.nth(0).getByText('是').tap();
	await radios.nth(1).getByText('否').tap();
	await radios.nth(2).getByText('是').tap();
	await expect(form).toContainText('将登记燃气安全隐患');
	const overflow = await wp.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow, 'no page-wide horizontal scroll on the phone').toBeLessThanOrEqual(0);
	await wp.getByTestId('check-save').tap();
	await expect(wp.getByTestId('check-notice')).toContainText(`已登记：${address}，发现问题 1 项`);
	await worker.context.close();

	await lp.goto(dashboard);
	await expect(lp.getByTestId('fig-findings')).toHaveText('1');
	await expect(lp.getByTestId('campaign-figures')).toContainText('已排查 1 / 应排查');
	await expect(lp.getByTestId('fig-hazards')).toContainText('待整改 1');
	await leader.context.close();
});
