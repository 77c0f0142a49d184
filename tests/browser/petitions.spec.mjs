// 信访 run from the product (issue 20): a leader opens their 包案 cases, schedules a 接访日 (a refused
// time names its field; the day appears in the calendar and can be cancelled), and records a 约访 on
// one of the cases, which then shows on the case and in the list. Desktop, and the list at phone size.
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';

test.describe.configure({ mode: 'serial' });

let ctx;
let page;
const submit = async (selector) => {
	await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click(selector)]);
	await page.waitForLoadState('networkidle');
};
// a day in the calendar's window and a start minute no earlier run used
const ahead = 1 + Math.floor(Math.random() * 20);
const day = new Date(Date.now() + 8 * 3600_000 + ahead * 86_400_000).toISOString().slice(0, 10);
const minute = String(Math.floor(Math.random() * 60)).padStart(2, '0');

test.beforeAll(async ({ browser }) => {
	({ context: ctx, page } = await signedIn(browser, USERS.leader, { viewport: { width: 1440, height: 960 } }));
	page.on('dialog', (d) => d.accept());
});
test.afterAll(() => ctx?.close());

test("the leader's own 包案 cases, with 超期 and 待联系 counted", async () => {
	await page.goto(`${BASE}/petitions`);
	await expect(page.locator('h1')).toContainText('信访（本人包案）');
	const summary = await page.textContent('[data-testid=petition-summary]');
	expect(summary).toMatch(/办理中 \d+ 件，其中超期 \d+ 件、超过 30 天未联系 \d+ 件/);
	const rows = await page.locator('[data-testid=case-list] tbody tr').count();
	expect(rows, 'leader1 is 包案 leader of open demo petitions').toBeGreaterThan(0);
	expect(await page.textContent('[data-testid=case-page]')).toMatch(/第 1 \/ \d+ 页，共 \d+ 件/);
});

test('schedules a 接访日; a wrong time is refused by name; the day shows and can be cancelled', async () => {
	await page.click('[data-testid=day-form] summary');
	await page.fill('[data-testid=day-form] input[name=day]', day);
	await page.fill('[data-testid=day-form] input[name=startsAt]', `10:${minute}`);
	await page.fill('[data-testid=day-form] input[name=endsAt]', '09:00');
	await page.fill('[data-testid=day-form] input[name=place]', '浏览器测试接待室');
	await submit('[data-testid=day-form] button[type=submit]');
	await expect(page.locator('[data-testid=petition-error]')).toContainText('结束时间（endsAt）应晚于开始时间');
	await page.fill('[data-testid=day-form] input[name=endsAt]', '11:59');
	await submit('[data-testid=day-form] button[type=submit]');
	await expect(page.locator('[data-testid=petition-done]')).toContainText(`已安排接访：${day} 10:${minute}–11:59，浏览器测试接待室`);
	const entry = page.locator('[data-testid=reception-days] li[data-day]', { hasText: `10:${minute}–11:59` }).filter({ hasText: '浏览器测试接待室' });
	await expect(entry).toHaveCount(1);
	await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), entry.locator('button:has-text("取消")').click()]);
	await page.waitForLoadState('networkidle');
	await expect(page.locator('[data-testid=petition-done]')).toContainText('已取消这次接访安排');
	await expect(page.locator('[data-testid=reception-days] li[data-day]', { hasText: `10:${minute}–11:59` }).filter({ hasText: '浏览器测试接待室' })).toHaveCount(0);
});

test('records a 约访 on a case: it shows on the case and as the last contact in the list', async () => {
	await page.goto(`${BASE}/petitions`);
	const first = page.locator('[data-testid=case-list] tbody tr').first();
	const code = (await first.locator('td a').textContent()).trim();
	await first.locator('td a').click();
	await expect(page.locator('[data-testid=petition-panel]')).toBeVisible();
	const note = `浏览器测试约访 ${Date.now()}`;
	await page.selectOption('[data-testid=contact-form] select[name=kind]', 'appointment');
	await page.fill('[data-testid=contact-form] textarea[name=note]', note);
	await submit('[data-testid=contact-form] button[type=submit]');
	await expect(page.locator('[data-testid=petition-done]')).toContainText('已记录约访');
	await expect(page.locator('[data-testid=contacts]')).toContainText(note);
	await page.goto(`${BASE}/petitions`);
	const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
	await expect(page.locator('[data-testid=case-list] tbody tr', { hasText: code })).toContainText(today);
});

test('the list fits a phone', async ({ browser }) => {
	const { context, page: phone } = await signedIn(browser, USERS.leader, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
	await phone.goto(`${BASE}/petitions`);
	await expect(phone.locator('[data-testid=petition-summary]')).toBeVisible();
	const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow, 'no page-wide horizontal scroll').toBeLessThanOrEqual(0);
	await context.close();
});
