// 核查 before 销号 and 申诉 in the browser (issue 19). At phone size the grid's 网格员 verifies a
// 垃圾清运 (a category that requires 核查) the 城管 department resolved: 销号 is refused first, then
// a 核查 with a 整改前 photo chosen or taken and a 整改后 photo, then 销号. At desktop the department
// contests an unsatisfied 评单 (申诉), the dispatcher finds it in the workspace and upholds it.
import { BASE, expect, openPage, signedIn, test, USERS } from './fixtures.mjs';

test.describe.configure({ mode: 'serial' });
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1440, height: 960 } };
const JPEG = { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xd9]) };

let dispatcher, dept, worker;

/** One API move as `who`, with the version it sees. */
async function move(who, id, action, extra = {}) {
	const r = await (await who.page.request.get(`${BASE}/api/requests/${id}`)).json();
	const res = await who.page.request.post(`${BASE}/api/requests/${id}/moves`, {
		data: { action, reason: '测试', ...extra }, headers: { origin: BASE, 'if-match': `"${r.version}"` }
	});
	expect(res.status(), await res.text()).toBeLessThan(300);
}

/** A 垃圾清运 in the 网格员's grid, dispatched, accepted and resolved by 城管, rated by the 网格员. */
async function resolvedAndRated(satisfaction) {
	const list = await (await dispatcher.page.request.get(`${BASE}/api/requests?area=430199001001001&limit=1`)).json();
	const { lon, lat } = list.rows[0];
	const res = await dispatcher.page.request.post(`${BASE}/api/requests`, {
		data: { categoryCode: 'environment.garbage', description: '测试：楼下垃圾堆放多日', lon, lat }, headers: { origin: BASE }
	});
	expect(res.status(), await res.text()).toBe(201);
	const { id } = await res.json();
	await move(dispatcher, id, 'dispatch');
	await move(dept, id, 'accept');
	await move(dept, id, 'resolve');
	await move(worker, id, 'evaluate', { satisfaction, solved: satisfaction !== 'unsatisfied' });
	return id;
}

test.beforeAll(async ({ browser }) => {
	dispatcher = await signedIn(browser, USERS.dispatcher, DESKTOP);
	dept = await signedIn(browser, USERS.department, DESKTOP);
	worker = await signedIn(browser, USERS.gridWorker, PHONE);
});
test.afterAll(async () => {
	for (const s of [dispatcher, dept, worker]) await s?.context.close();
});

test('the 网格员 verifies on the phone with before and after photos, then closes', async () => {
	const id = await resolvedAndRated('satisfied');
	const { page } = worker;
	await page.goto(`${BASE}/requests/${id}`);
	await expect(page.locator('[data-testid=verify-panel]')).toContainText('本类别销号前需核查');
	// 销号 first: refused until a verification passed
	await Promise.all([page.waitForLoadState('networkidle'), page.click('[data-testid=move-close] button')]);
	await expect(page.locator('[data-testid=move-error]')).toContainText('销号前需核查');
	const f = page.locator('[data-testid=verify-form]');
	await f.locator('input[name=beforePhoto]').setInputFiles(JPEG);
	await f.locator('input[name=afterPhoto]').setInputFiles(JPEG);
	await f.locator('input[name=note]').fill('现场已清理干净');
	await Promise.all([page.waitForURL((u) => u.search.includes('check='), { timeout: 30_000 }), f.locator('button').click()]);
	await expect(page.locator('[data-testid=verify-done]')).toHaveText('核查通过，可以销号');
	await expect(page.locator('[data-testid=verification]')).toContainText('通过');
	// nothing wider than the phone
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(392);
	await Promise.all([page.waitForURL((u) => u.search.includes('done='), { timeout: 30_000 }), page.click('[data-testid=move-close] button')]);
	await expect(page.locator('[data-testid=status]')).toHaveText('已销号');
});

test('the department files a 申诉 against an unsatisfied 评单; the dispatcher upholds it from the workspace', async () => {
	const id = await resolvedAndRated('unsatisfied');
	await dept.page.goto(`${BASE}/requests/${id}`);
	await dept.page.fill('[data-testid=appeal-form] input[name=reason]', '群众反映的问题不属于本次诉求范围');
	await Promise.all([dept.page.waitForURL((u) => u.search.includes('case=appealed')), dept.page.click('[data-testid=appeal-form] button')]);
	await expect(dept.page.locator('[data-testid=appeal]')).toContainText('待裁定');
	const { page } = dispatcher;
	await page.goto(`${BASE}/workspace`);
	await page.locator(`[data-testid=appeals] a[href="/requests/${id}"]`).click();
	await page.waitForURL((u) => u.pathname === `/requests/${id}`);
	await Promise.all([page.waitForURL((u) => u.search.includes('case=appeal_upheld')), page.click('[data-testid=appeal-decide] button[value=upheld]')]);
	await expect(page.locator('[data-testid=appeal-done]')).toContainText('不计入满意率');
	await expect(page.locator('[data-testid=appeal]')).toContainText('支持');
});

test('a resident on /r opens the map only when asked and taps the place (plain http: no 定位)', async ({ browser }) => {
	const { context, page } = await openPage(browser, PHONE);
	try {
		await page.goto(`${BASE}/r`);
		await page.waitForLoadState('networkidle');
		// the map is not part of the page until asked for
		await expect(page.getByTestId('resident-map')).toHaveCount(0);
		const grid = await page.$eval('select[name=gridCode] optgroup option', (o) => o.value);
		await page.selectOption('select[name=gridCode]', grid);
		await page.getByTestId('open-map').tap();
		const map = page.getByTestId('resident-map');
		await expect(map).toBeVisible();
		await expect(page.getByTestId('resident-locate-status')).toContainText('http');
		await page.waitForFunction(() => window.__loopMap?.loaded(), null, { timeout: 30_000 });
		const box = await map.boundingBox();
		await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
		await expect(page.getByTestId('resident-pin')).toContainText('已选位置');
		expect(Number(await page.inputValue('input[name=lon]'))).toBeGreaterThan(100);
		// with a pin the address is optional
		expect(await page.getAttribute('input[name=address]', 'required')).toBeNull();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	} finally {
		await context.close();
	}
});
