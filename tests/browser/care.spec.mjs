// 关爱对象 (issue 20): on a grid worker's phone (390×844, touch) the workspace lists the care
// households due a visit; one is visited through the 关爱走访 sheet and leaves the list, with a
// prefilled 转为诉求 at hand. On a desktop the admin sets a tag's frequency, sees a refusal naming
// the field, and goes back to the default.
import { BASE, test, expect, signedIn, USERS } from './fixtures.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

test('a grid worker sees a care household due a visit, records a care visit, and it leaves the due list', async ({ browser }) => {
	test.setTimeout(120_000);
	const { context, page } = await signedIn(browser, USERS.gridWorker, PHONE);
	await page.locator('[data-testid=households][data-ready=true]').waitFor({ timeout: 60_000 });
	const card = page.getByTestId('care');
	await expect(card).toContainText('关爱对象：逾期');
	expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no horizontal scroll').toBeLessThanOrEqual(390);
	const first = card.getByTestId('care-household').first();
	const id = await first.getAttribute('data-household-id');
	expect(['overdue', 'due']).toContain(await first.getAttribute('data-state'));
	const open = first.getByRole('button', { name: '关爱走访' });
	expect((await open.boundingBox()).height, 'a ≥ 44 px tap target').toBeGreaterThanOrEqual(44);
	await open.tap();

	const sheet = page.getByTestId('care-sheet');
	await expect(sheet).toBeVisible();
	await sheet.locator('textarea[name=situation]').fill('老人独自在家，精神尚好');
	await sheet.getByText('医疗健康', { exact: true }).tap();
	await sheet.locator('textarea[name=helpText]').fill('联系社区医生上门测量血压');
	await sheet.locator('textarea[name=nextStep]').fill('下周复查血压');
	await sheet.getByTestId('care-save').tap();
	await expect(sheet.getByTestId('care-saved')).toContainText('已记录关爱走访');
	const href = await sheet.getByTestId('care-to-request').getAttribute('href');
	const q = new URL(href, 'http://x').searchParams;
	expect([q.get('householdId'), q.get('channel'), q.get('description')]).toEqual([id, 'door_knock', '下周复查血压']);
	await sheet.getByRole('button', { name: '完成' }).tap();
	await expect(card.locator(`[data-household-id="${id}"]`), 'the visited household left the due list').toHaveCount(0);
	await context.close();
});

test('an admin sets a care frequency, is told which field is wrong, and returns to the default', async ({ browser }) => {
	test.setTimeout(120_000);
	const { context, page } = await signedIn(browser, USERS.admin);
	await page.goto(`${BASE}/admin/care`);
	const form = page.getByTestId('care-days');
	await expect(form.locator('[data-tag]')).toHaveCount(9);
	const elderly = form.locator('[data-tag=elderly_alone] input[name=elderly_alone]');
	await expect(elderly).toHaveAttribute('placeholder', '7');
	await elderly.fill('0');
	await form.getByRole('button', { name: '保存走访周期' }).click();
	await expect(form.locator('[data-tag=elderly_alone]')).toContainText('1 到 365');
	await elderly.fill('5');
	await form.getByRole('button', { name: '保存走访周期' }).click();
	await expect(page.locator('.loop-card [role=status]')).toContainText('已保存');
	await page.reload();
	await expect(form.locator('input[name=elderly_alone]')).toHaveValue('5');
	await form.locator('input[name=elderly_alone]').fill('');
	await form.getByRole('button', { name: '保存走访周期' }).click();
	await expect(page.locator('.loop-card [role=status]')).toContainText('已保存');
	await page.reload();
	await expect(form.locator('input[name=elderly_alone]')).toHaveValue('');
	await context.close();
});

test('a care visit made with no network waits in the outbox and is recorded when the network returns', async ({ browser }) => {
	test.setTimeout(120_000);
	const { context, page } = await signedIn(browser, USERS.gridWorker, PHONE);
	await page.locator('[data-testid=households][data-ready=true]').waitFor({ timeout: 60_000 });
	const first = page.getByTestId('care-household').first();
	const id = await first.getAttribute('data-household-id');
	await first.getByRole('button', { name: '关爱走访' }).tap();
	const sheet = page.getByTestId('care-sheet');
	await sheet.locator('textarea[name=situation]').fill('离线记录：老人在家，一切正常');
	await sheet.getByText('本次无需帮扶', { exact: true }).tap();
	await context.setOffline(true);
	await sheet.getByTestId('care-save').tap();
	// queued: the sheet closes, the badge counts one item waiting
	await expect(sheet).toBeHidden();
	const badge = page.getByTestId('outbox-badge');
	await expect(badge).toHaveAttribute('data-count', '1');
	await context.setOffline(false);
	await expect(badge).toHaveCount(0, { timeout: 30_000 });
	await page.reload();
	await page.getByTestId('care').waitFor();
	await expect(page.locator(`[data-testid=care-household][data-household-id="${id}"]`)).toHaveCount(0);
	await context.close();
});
