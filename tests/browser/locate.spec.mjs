// 定位 where the browser gives a position: at http://localhost:PORT (a secure context, as https
// would be) a grid worker's phone with location allowed picks its own position on the report form,
// says the accuracy in metres, and names the grid the point falls in; with location refused, it
// says how to allow it and picking on the map still works. (Over plain http, report.spec.mjs checks
// that the button says 定位 needs https.)
import { test, expect, BASE, PASSWORD, USERS, LOCAL } from './fixtures.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const USER = USERS.gridWorker;
const OWN = USER.slice(2);

/** A point inside a grid: the mean of its (convex, Voronoi) ring's corners. */
const inside = (f) => {
	const ring = f.geometry.coordinates[0][0].slice(0, -1);
	return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
};

/** A phone at localhost, signed in through the password form, on /requests/new. */
async function reportForm(browser, options) {
	const context = await browser.newContext({ ...PHONE, ...options });
	const page = await context.newPage();
	await page.goto(`${LOCAL}/login?redirect=${encodeURIComponent('/requests/new')}`);
	await page.fill('input[name=username]', USER);
	await page.fill('input[name=password]', PASSWORD);
	await Promise.all([page.waitForURL((u) => u.pathname === '/requests/new', { timeout: 60_000 }), page.click('button[type=submit]')]);
	await page.waitForSelector('[data-testid=report-map][data-ready=true]', { timeout: 60_000 });
	expect(await page.evaluate(() => window.isSecureContext), 'localhost is a secure context').toBe(true);
	return { context, page };
}

test('定位 with location allowed picks my position, says its accuracy and names my grid', async ({ browser }) => {
	const { context, page } = await reportForm(browser, { permissions: ['geolocation'], geolocation: { longitude: 0, latitude: 0, accuracy: 1 } });
	try {
		const all = await (await page.request.get(`${LOCAL}/api/map/grids`)).json();
		const own = all.features.find((f) => f.properties.code === OWN);
		expect(own, `the grid worker's own grid ${OWN} is on the map`).toBeTruthy();
		const [longitude, latitude] = inside(own);
		await context.setGeolocation({ longitude, latitude, accuracy: 12 });
		const locate = page.getByTestId('locate');
		await expect(locate).toHaveText('定位');
		await expect(locate).toBeEnabled();
		await locate.tap();
		await expect(page.getByTestId('locate-status')).toHaveText('已定位，精度约 12 米', { timeout: 20_000 });
		await expect(page.getByTestId('picked-grid')).toContainText(OWN, { timeout: 15_000 });
		await expect(page.getByTestId('outside-confirm'), 'my own grid: no question').toHaveCount(0);
		// the picked point is the position, to six decimals (about 0.1 m)
		const picked = await page.evaluate(() => [document.querySelector('input[name=lon]')?.value, document.querySelector('input[name=lat]')?.value]);
		expect(picked.map(Number)).toEqual([Number(longitude.toFixed(6)), Number(latitude.toFixed(6))]);
	} finally {
		await context.close();
	}
});

test('定位 with location refused says how to allow it, and the map still picks', async ({ browser }) => {
	const { context, page } = await reportForm(browser, { permissions: [] });
	try {
		await page.getByTestId('locate').tap();
		await expect(page.getByTestId('locate-status')).toHaveText(/^未获得定位权限：请在浏览器设置中允许本站使用位置，或在地图上点选$/, { timeout: 20_000 });
		await expect(page.getByTestId('locate')).toBeEnabled();
	} finally {
		await context.close();
	}
});
