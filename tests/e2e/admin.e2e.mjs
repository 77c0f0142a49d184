#!/usr/bin/env node
// Browser check of 时限设置 on the seeded demo district (BASE_URL): a leader is refused; an admin
// gets a named error for an out-of-range value, saves a rule and a holiday list, and sees them kept.
import path from 'node:path';
import { BASE, artifacts, createChecks, launchBrowser, openPage, waitReady } from './harness.mjs';

const OUT = artifacts('admin');
const checks = createChecks('admin');
const { check } = checks;

const browser = await launchBrowser();
await checks.runToEnd(browser, run);

async function run() {
	await waitReady(240);
	const { page } = await openPage(browser, { viewport: { width: 1440, height: 900 } });
	const refused = await page.goto(`${BASE}/login/demo?user=leader1&redirect=/admin/deadlines`);
	check('a leader may not open 时限设置', refused.status() === 403, `HTTP ${refused.status()}`);

	await page.goto(`${BASE}/login/demo?user=admin&redirect=/admin/deadlines`);
	const row = page.locator('[data-testid=rules] tbody tr').filter({ hasText: '电梯故障' }).filter({ hasText: '一般' });
	// 400 passes the browser's own number check (min only) and reaches the server's rule check
	await row.locator('input[name=resolveWorkingDays]').fill('400');
	await row.getByRole('button', { name: '保存' }).click();
	const error = await row.getByRole('alert').innerText({ timeout: 10_000 }).catch(() => '');
	check('a 办结时限 of 400 working days is refused by the server with a message naming it', error.includes('办结时限'), error);

	await row.locator('input[name=resolveWorkingDays]').fill('5');
	await row.getByRole('button', { name: '保存' }).click();
	await page.getByRole('status').filter({ hasText: '已保存' }).first().waitFor({ timeout: 10_000 });
	await page.locator('textarea[name=holidays]').fill('2026-10-01\n2026-10-02');
	await page.getByRole('button', { name: '保存节假日' }).click();
	await page.getByRole('status').filter({ hasText: '已保存 2 天' }).waitFor({ timeout: 10_000 });
	await page.reload();
	const kept = await row.locator('input[name=resolveWorkingDays]').inputValue();
	const days = await page.locator('textarea[name=holidays]').inputValue();
	check('the rule and the holidays are kept after a reload', kept === '5' && days === '2026-10-01\n2026-10-02', `办结 ${kept} 天; ${days.replace('\n', ', ')}`);
	const api = await (await page.request.get(`${BASE}/api/requests/deadline-rules`)).json();
	const rule = api.rules.find((r) => r.categoryName === '电梯故障' && r.priority === 'normal');
	check('the API reads the same rule', rule?.resolveWorkingDays === 5, JSON.stringify(rule));
	await page.screenshot({ path: path.join(OUT, 'admin-deadlines.png'), fullPage: true });
}
