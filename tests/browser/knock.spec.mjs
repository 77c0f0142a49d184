// 敲门行动 on a grid worker's phone (390×844, touch): record a structured door-knock from the
// workspace's sheet, see the coverage go up, tap 转为诉求 and land on /requests/new with the
// prefill parameters; and nothing on /workspace is wider than the phone.
import { test, expect, signedIn, USERS } from './fixtures.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Elements whose box reaches past the viewport's right edge (or starts left of 0). */
const overflowing = (page) =>
	page.evaluate(() => {
		const vw = 390;
		return [...document.querySelectorAll('body *')]
			.filter((el) => {
				const b = el.getBoundingClientRect();
				return b.width > 0 && (b.right > vw + 1 || b.left < -1) && !el.closest('dialog:not([open])');
			})
			.slice(0, 5)
			.map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`);
	});

test('a grid worker records a structured door-knock on the phone and turns it into a prefilled report', async ({ browser }) => {
	test.setTimeout(120_000);
	const { context, page } = await signedIn(browser, USERS.gridWorker, PHONE);
	expect(new URL(page.url()).pathname).toBe('/workspace');
	const card = page.locator('[data-testid=households][data-ready=true]');
	await card.waitFor({ timeout: 60_000 });
	expect(await overflowing(page), 'no element wider than the 390 px viewport on /workspace').toEqual([]);
	expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no horizontal scroll').toBeLessThanOrEqual(390);
	const map = await page.locator('[data-testid=loop-map]').boundingBox();
	expect(map && map.width >= 300 && map.y < 844, `the map is on the first screen (${JSON.stringify(map)})`).toBe(true);

	const coverage = async () => Number(/覆盖 (\d+)\//.exec(await page.getByTestId('coverage').innerText())?.[1]);
	const before = await coverage();
	const first = page.getByTestId('household').first();
	const householdId = await first.getAttribute('data-household-id');
	const record = first.getByRole('button', { name: '记录走访' });
	const box = await record.boundingBox();
	expect(box.height, '记录走访 is a ≥ 44 px tap target').toBeGreaterThanOrEqual(44);
	await record.tap();

	const sheet = page.getByTestId('knock-sheet');
	await expect(sheet).toBeVisible();
	await sheet.getByText('家属', { exact: true }).tap();
	// the household's registered tags come ticked: tap only the ones not ticked yet
	for (const [code, label] of [['elderly_alone', '独居老人'], ['empty_nest', '空巢']]) {
		if (!(await sheet.locator(`input[name=tags][value=${code}]`).isChecked())) await sheet.getByText(label, { exact: true }).tap();
		await expect(sheet.locator(`input[name=tags][value=${code}]`)).toBeChecked();
	}
	await sheet.locator('textarea[name=needs]').fill('楼道灯坏了，老人行动不便需要帮忙更换');
	await sheet.locator('textarea[name=note]').fill('女儿在家');
	await sheet.getByTestId('knock-save').tap();
	await expect(sheet.getByTestId('knock-saved')).toContainText('已记录走访');
	await expect.poll(coverage, { message: 'the coverage counts the visit' }).toBe(before + 1);

	const toRequest = sheet.getByTestId('knock-to-request');
	expect((await toRequest.boundingBox()).height).toBeGreaterThanOrEqual(44);
	await Promise.all([page.waitForURL((u) => u.pathname === '/requests/new'), toRequest.tap()]);
	const q = new URL(page.url()).searchParams;
	expect(q.get('householdId')).toBe(householdId);
	expect(q.get('channel')).toBe('door_knock');
	expect(q.get('description')).toBe('楼道灯坏了，老人行动不便需要帮忙更换');
	expect(Number(q.get('lon'))).toBeGreaterThan(100);
	expect(Number(q.get('lat'))).toBeGreaterThan(20);
	expect(q.get('address')).toBeTruthy();
	await context.close();
});

test('the department and dispatch workspaces fit a phone', async ({ browser }) => {
	test.setTimeout(120_000);
	for (const user of [USERS.department, USERS.dispatcher]) {
		const { context, page } = await signedIn(browser, user, PHONE);
		await page.getByTestId('queue').waitFor();
		expect(await overflowing(page), `${user}: no element wider than the viewport`).toEqual([]);
		expect(await page.evaluate(() => document.documentElement.scrollWidth), `${user}: no horizontal scroll`).toBeLessThanOrEqual(390);
		await context.close();
	}
});
