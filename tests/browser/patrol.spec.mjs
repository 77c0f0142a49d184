// 巡查 on the grid worker's phone (issue 20): at http://localhost:PORT (a secure context, as https
// would be) with location allowed, 开始巡查 → the phone moves → 结束巡查 saves the patrol with its
// length, and the page says tracking happens only during a patrol; a reload mid-patrol loses nothing.
// Over plain http (grid.intranet) the page says 定位 needs https. The street leader sees the patrol
// on the worker's page.
import { test, expect, BASE, PASSWORD, USERS, signedIn, LOCAL } from './fixtures.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const USER = USERS.gridWorker;
const START = { longitude: 112.93, latitude: 28.2, accuracy: 8 };

test.describe.configure({ mode: 'serial' });

test('over plain http the page says location needs https and offers no start', async ({ browser }) => {
	const { context, page } = await signedIn(browser, USER, PHONE);
	await page.goto(`${BASE}/patrol`);
	await expect(page.getByTestId('patrol-insecure')).toContainText('只在 https 地址下提供定位');
	await expect(page.getByTestId('patrol-start')).toHaveCount(0);
	await expect(page.getByTestId('patrol-privacy')).toContainText('只在您点“开始巡查”后记录位置');
	await context.close();
});

test('start, walk 3 legs (a reload in between), end: the patrol is saved with its length', async ({ browser }) => {
	const context = await browser.newContext({ ...PHONE, permissions: ['geolocation'], geolocation: START });
	const page = await context.newPage();
	try {
		await page.goto(`${LOCAL}/login?redirect=${encodeURIComponent('/patrol')}`);
		await page.fill('input[name=username]', USER);
		await page.fill('input[name=password]', PASSWORD);
		await Promise.all([page.waitForURL((u) => u.pathname === '/patrol', { timeout: 60_000 }), page.click('button[type=submit]')]);
		const before = Number((await page.locator('#mine-h').textContent()).match(/（(\d+) 次）/)[1]);
		await page.getByTestId('patrol-start').tap();
		const running = page.getByTestId('patrol-running');
		await expect(running).toContainText('定位点 1 个', { timeout: 20_000 });
		// each leg 0.001° north: 111 m, far past the 15 m sampling step
		for (let i = 1; i <= 3; i++) {
			await context.setGeolocation({ ...START, latitude: START.latitude + i * 0.001 });
			await expect(running).toContainText(`定位点 ${i + 1} 个`, { timeout: 20_000 });
			if (i === 1) {
				await page.reload();
				await expect(page.getByTestId('patrol-running'), 'the patrol survives a reload').toContainText('定位点 2 个');
			}
		}
		await expect(running).toContainText('已走 334 米');
		await page.getByTestId('patrol-end').tap();
		await expect(page.getByTestId('patrol-notice')).toHaveText('巡查已结束并保存', { timeout: 20_000 });
		await expect(page.locator('#mine-h')).toContainText(`（${before + 1} 次）`);
		await expect(page.getByTestId('patrol-list').locator('tbody tr').first()).toContainText('334 米（4 点）');
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow, 'no page-wide horizontal scroll').toBeLessThanOrEqual(0);
	} finally {
		await context.close();
	}
});

test("the street leader sees the patrol on the worker's page", async ({ browser }) => {
	const { context, page } = await signedIn(browser, USERS.streetLeader);
	const me = await signedIn(browser, USER);
	await me.page.goto(`${BASE}/workers/me`);
	const id = await me.page.getAttribute('[data-testid=worker-head]', 'data-worker-id');
	await me.context.close();
	await page.goto(`${BASE}/workers/${id}`);
	await expect(page.getByTestId('worker-patrols')).toContainText('334 米');
	await context.close();
});
