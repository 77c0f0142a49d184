// Notices (通知) in the browser, at desk width and on a phone (390×844, touch): a department user's
// page is open; the command centre dispatches a request to that department on the request's page;
// the user's bell shows the new count within 5 s without a reload (the live feed), the list names
// the request, and opening the notice goes to the request and marks it read.
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';

const OUT = artifacts('notify');
const DEPARTMENT_USER = 'chengguan1'; // 区城管局
const DEPARTMENT_NAME = '区城管局';

const LAYOUTS = [
	['desk', { viewport: { width: 1440, height: 900 } }],
	['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }]
];

const badgeCount = async (page) => {
	const badge = page.locator('[data-testid=notify-badge]');
	return (await badge.count()) ? Number(await badge.innerText()) : 0;
};

for (const [layout, options] of LAYOUTS) {
	test(`${layout}: a new 派单 shows on the department's bell within 5 s, and opening the notice marks it read`, async ({ browser }) => {
		const dept = await signedIn(browser, DEPARTMENT_USER, options);
		const disp = await signedIn(browser, 'dispatcher');
		const worker = await signedIn(browser, USERS.gridWorker);
		try {
			// a new request from the grid worker, at a place in their grid, waiting for 派单
			const [mine] = (await (await worker.page.request.get(`${BASE}/api/requests?status=open&limit=1`)).json()).rows;
			const filed = await worker.page.request.post(`${BASE}/api/requests`, {
				data: { categoryCode: 'property.elevator', description: `通知测试（${layout}）：电梯停运`, lon: mine.lon, lat: mine.lat }
			});
			expect(filed.status(), await filed.text()).toBe(201);
			const target = await filed.json();
			await disp.page.goto(`${BASE}/requests/${target.id}`);
			const form = disp.page.locator('[data-testid=move-dispatch]');
			const option = form.locator('select[name=departmentId] option', { hasText: DEPARTMENT_NAME });
			await form.locator('select[name=departmentId]').selectOption(await option.getAttribute('value'));

			// the department user's page, settled: everything so far read
			const { page } = dept;
			await page.goto(`${BASE}/workspace`);
			const bell = page.locator('[data-testid=notify-bell]');
			await expect(bell).toBeVisible();
			const box = await bell.boundingBox();
			expect(box.width >= 44 && box.height >= 44, `the bell is a 44 px tap target (${box.width}×${box.height})`).toBe(true);
			const marked = await page.request.post(`${BASE}/api/notifications/read`, { data: { all: true } });
			expect(marked.ok()).toBe(true);
			await page.reload();
			await expect(bell).toHaveAttribute('aria-label', '通知，无未读');
			await page.waitForTimeout(1000); // the live stream is open
			// usually 0; the deadline job (deadlineJob.ts) may have sent a 时限 notice meanwhile
			const before = await badgeCount(page);

			// from the click on 派单 (the move commits during the dispatcher's form post) to the badge
			const navigated = disp.page.waitForURL(/done=|\/requests\/\d+$/);
			const t0 = Date.now();
			await form.locator('button[type=submit]').click();
			await expect.poll(() => badgeCount(page), { message: 'the badge counts the new 派单 within 5 s, without a reload', timeout: 5000 }).toBeGreaterThan(before);
			console.log(`[notify] ${layout}: 派单 clicked → badge shown in ${Date.now() - t0} ms`);
			await navigated;

			// the list: the newest notice names the request; opening it goes there and marks it read
			await (layout === 'phone' ? bell.tap() : bell.click());
			const item = page.locator('#notify-list a', { hasText: target.code }).first();
			await expect(item).toContainText('新派单');
			const itemBox = await item.boundingBox();
			expect(itemBox.height).toBeGreaterThanOrEqual(44);
			expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll with the list open').toBe(true);
			const panel = await page.locator('#notify-list').boundingBox();
			expect(panel.x >= 0 && panel.x + panel.width <= options.viewport.width, `the list fits the screen (${panel.x}+${panel.width})`).toBe(true);
			await page.screenshot({ path: `${OUT}/${layout}-list.png` });
			const unread = await badgeCount(page);
			await Promise.all([page.waitForURL(new RegExp(`/requests/${target.id}$`)), layout === 'phone' ? item.tap() : item.click()]);
			await expect.poll(() => badgeCount(page), { message: 'one fewer unread' }).toBe(unread - 1);
			const notices = (await (await page.request.get(`${BASE}/api/notifications?limit=50`)).json()).items;
			const opened = notices.find((n) => n.requestId === target.id && n.kind === 'dispatched');
			expect(opened?.readAt, 'the opened notice is read').toBeTruthy();
			await page.screenshot({ path: `${OUT}/${layout}-opened.png` });
		} finally {
			await dept.context.close();
			await disp.context.close();
			await worker.context.close();
		}
	});
}

test('the dispatcher hears nothing of the department\'s notices, and the read API names a bad field', async ({ browser }) => {
	const { context, page } = await signedIn(browser, 'dispatcher');
	try {
		const bad = await page.request.post(`${BASE}/api/notifications/read`, { data: { ids: ['x'] } });
		expect(bad.status()).toBe(400);
		expect((await bad.json()).error).toMatchObject({ code: 'invalid_param', field: 'ids' });
		const list = await (await page.request.get(`${BASE}/api/notifications?limit=100`)).json();
		expect(list.items.every((n) => n.kind !== 'dispatched'), 'no 派单 notice reaches the command centre').toBe(true);
		const badLimit = await page.request.get(`${BASE}/api/notifications?limit=0`);
		expect(badLimit.status()).toBe(400);
		expect((await badLimit.json()).error.field).toBe('limit');
	} finally {
		await context.close();
	}
});
