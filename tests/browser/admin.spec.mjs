// 时限设置 on the seeded demo district: a leader is refused; an admin gets a named error for an
// out-of-range value, saves a rule and a holiday list, and sees them kept.
// (was tests/e2e/admin.e2e.mjs)
import path from 'node:path';
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, test } from './fixtures.mjs';

const OUT = artifacts('admin');
// the cases change one rule in turn
test.describe.configure({ mode: 'serial' });

const ruleRow = (page) => page.locator('[data-testid=rules] tbody tr').filter({ hasText: '电梯故障' }).filter({ hasText: '一般' });

test('a leader may not open 时限设置', async ({ leaderPage: page }) => {
	const refused = await page.goto(`${BASE}/admin/deadlines`);
	expect(refused.status(), `HTTP ${refused.status()}`).toBe(403);
});

test('a 办结时限 of 400 working days is refused by the server with a message naming it', async ({ adminPage: page }) => {
	await page.goto(`${BASE}/admin/deadlines`);
	const row = ruleRow(page);
	// 400 passes the browser's own number check (min only) and reaches the server's rule check
	await row.locator('input[name=resolveWorkingDays]').fill('400');
	await row.getByRole('button', { name: '保存' }).click();
	const error = await row.getByRole('alert').innerText({ timeout: 10_000 }).catch(() => '');
	expect(error).toContain('办结时限');
});

test('the rule and the holidays are kept after a reload, and the API reads the same rule', async ({ adminPage: page }) => {
	await page.goto(`${BASE}/admin/deadlines`);
	const row = ruleRow(page);
	await row.locator('input[name=resolveWorkingDays]').fill('5');
	await row.getByRole('button', { name: '保存' }).click();
	await page.getByRole('status').filter({ hasText: '已保存' }).first().waitFor({ timeout: 10_000 });
	await page.locator('textarea[name=holidays]').fill('2026-10-01\n2026-10-02');
	await page.getByRole('button', { name: '保存节假日' }).click();
	await page.getByRole('status').filter({ hasText: '已保存 2 天' }).waitFor({ timeout: 10_000 });
	await page.reload();
	const kept = await row.locator('input[name=resolveWorkingDays]').inputValue();
	const days = await page.locator('textarea[name=holidays]').inputValue();
	expect({ kept, days }, `办结 ${kept} 天; ${days.replace('\n', ', ')}`).toEqual({ kept: '5', days: '2026-10-01\n2026-10-02' });
	const api = await (await page.request.get(`${BASE}/api/requests/deadline-rules`)).json();
	const rule = api.rules.find((r) => r.categoryName === '电梯故障' && r.priority === 'normal');
	expect(rule?.resolveWorkingDays, JSON.stringify(rule)).toBe(5);
	await page.screenshot({ path: path.join(OUT, 'admin-deadlines.png'), fullPage: true });
});
