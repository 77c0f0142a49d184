// 系统状态 (/admin/system): an admin sees the release and the database's migration level, the same
// as /api/status says, and readiness; a leader is refused. The screenshot is for the eye.
import { readdirSync } from 'node:fs';
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';

const OUT = process.env.E2E_OUT ?? 'test-results';
const LATEST = readdirSync(new URL('../../db/migrations/', import.meta.url)).filter((f) => f.endsWith('.sql')).sort().at(-1).replace(/\.sql$/, '');

test('an admin sees the version, the migration level and readiness; a leader is refused', async ({ browser }) => {
	const status = await fetch(`${BASE}/api/status`).then((r) => r.json());
	const { context, page } = await signedIn(browser, USERS.admin);
	try {
		await page.goto(`${BASE}/admin/system`);
		const panel = page.getByTestId('system-status');
		await expect(panel.getByRole('heading', { name: '系统状态' })).toBeVisible();
		await expect(page.getByTestId('version')).toHaveText(status.version);
		await expect(page.getByTestId('schema')).toContainText(LATEST);
		await expect(panel).toContainText('已是最新');
		await expect(page.getByTestId('readiness')).toContainText('就绪');
		await expect(page.getByRole('navigation').getByRole('link', { name: '系统状态' }).first()).toBeVisible();
		await page.screenshot({ path: `${OUT}/system-status.png` });
	} finally {
		await context.close();
	}
	const leader = await signedIn(browser, USERS.leader);
	try {
		const res = await leader.page.goto(`${BASE}/admin/system`);
		expect(res?.status()).toBe(403);
	} finally {
		await leader.context.close();
	}
});
