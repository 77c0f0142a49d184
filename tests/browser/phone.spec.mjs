// The grid worker's (网格员) and a department's (部门) pages on a phone, 390×844 with touch: nothing is
// wider than the screen (the page does not scroll sideways; a wide table scrolls inside its own box),
// the bottom navigation is there with targets a finger can hit (≥ 44 px), and on the map page the
// map is at least half the screen with its panels in a bottom sheet that a tapped point opens. Then
// the leaders' pages are readable (no sideways scroll), and at a desk (1440×900) the top navigation
// and the map's sidebar are as they were.
import { BASE, expect, signedIn, test, USERS } from './fixtures.mjs';
import { artifacts } from '../support/browser.mjs';

/** Every page's phone screenshot lands here, to be looked at (the closing note's "screenshots of each page"). */
const OUT = artifacts('phone');

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const WIDTH = PHONE.viewport.width;

/**
 * How wide the page is, and the visible elements whose right edge is past the screen's, leaving out
 * those inside a box that scrolls or clips sideways (a table in its own scroll box, a map's canvas):
 * those boxes are checked themselves.
 */
function measure(page) {
	return page.evaluate((width) => {
		const contained = (el) => {
			for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
				if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return true;
			}
			return false;
		};
		const wide = [];
		for (const el of document.body.querySelectorAll('*')) {
			const box = el.getBoundingClientRect();
			if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
			if (box.right > width + 1 && !contained(el)) {
				const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).slice(0, 2).join('.') : '';
				wide.push(`${el.tagName.toLowerCase()}${cls} → ${Math.round(box.right)} px`);
			}
		}
		return { scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 8) };
	}, WIDTH);
}

/** Opens a page and waits until it is drawn: the map page until its map is ready. */
async function open(page, path) {
	await page.goto(`${BASE}${path}`);
	await expect(page.locator('main#main')).toBeVisible();
	if (path === '/') await page.waitForFunction(() => window.__gridmapReady === true, null, { timeout: 120_000 });
	await page.waitForLoadState('load');
}

async function expectFits(page, path) {
	const m = await measure(page);
	expect(m.scrollWidth, `${path}: the page is no wider than the phone`).toBeLessThanOrEqual(WIDTH);
	expect(m.wide, `${path}: no element is wider than the phone`).toEqual([]);
}

async function expectBottomNav(page, path) {
	const bar = page.getByRole('navigation', { name: '常用功能' });
	await expect(bar, `${path}: the bottom navigation is shown`).toBeVisible();
	const targets = bar.locator('a, button');
	const n = await targets.count();
	expect(n, 'at most 4 sections and 更多').toBeLessThanOrEqual(5);
	for (let i = 0; i < n; i++) {
		const box = await targets.nth(i).boundingBox();
		expect(box.height, `${path}: a bottom-bar target is ≥ 44 px high`).toBeGreaterThanOrEqual(44);
		expect(box.width, `${path}: a bottom-bar target is ≥ 44 px wide`).toBeGreaterThanOrEqual(44);
		expect(box.y + box.height, `${path}: the bar is at the bottom of the screen`).toBeGreaterThan(PHONE.viewport.height - 8);
	}
}

/** The first request of the user's own list. */
async function firstRequest(page) {
	await open(page, '/requests');
	const href = await page.locator('[data-testid=request-list] a[href^="/requests/"]').first().getAttribute('href');
	expect(href).toMatch(/^\/requests\/\d+$/);
	return href;
}

for (const who of ['gridWorker', 'department']) {
	test(`${who}: every page fits a 390 px phone and has the bottom navigation`, async ({ browser }) => {
		const { context, page } = await signedIn(browser, USERS[who], PHONE);
		try {
			const request = await firstRequest(page);
			const fieldOnly = who === 'gridWorker' ? ['/hazards/new'] : [];
			for (const path of ['/', '/workspace', '/requests', request, '/requests/new', ...fieldOnly, '/outbox', '/account']) {
				await open(page, path);
				// a form's map is drawn before the page is looked at (a grey box is no screenshot of it)
				if (path.endsWith('/new')) await expect(page.locator('[data-testid$=report-map]')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
				await expectFits(page, path);
				await expectBottomNav(page, path);
				const name = path === request ? 'request' : path.replace(/^\//, '').replace(/\//g, '-') || 'map';
				await page.screenshot({ path: `${OUT}/${who}-${name}.png`, fullPage: true });
			}
		} finally {
			await context.close();
		}
	});
}

test('the map page on a phone: the map at least half the screen, its panels in a bottom sheet a tapped point opens', async ({ browser }) => {
	const { context, page } = await signedIn(browser, USERS.gridWorker, PHONE);
	try {
		await open(page, '/');
		// over plain http the app says that offline use and 定位 need https: on a phone in one line,
		// so the map keeps at least half the screen while the notice is still there
		const notice = page.getByTestId('secure-context-notice');
		await expect(notice).toBeVisible();
		expect((await notice.boundingBox()).height, 'the plain-http notice is one line on a phone').toBeLessThanOrEqual(52);
		const half = PHONE.viewport.height / 2;
		const sheet = page.getByTestId('sheet');
		const canvas = page.locator('[data-testid=map] canvas.maplibregl-canvas');
		const mapShown = async () => {
			const [c, s] = [await canvas.boundingBox(), await sheet.boundingBox()];
			return { canvas: c.height, visible: Math.min(c.y + c.height, s.y) - c.y, width: c.width };
		};
		await expect(sheet).toHaveAttribute('data-state', 'collapsed');
		let shown = await mapShown();
		expect(shown.width, 'the map is as wide as the phone').toBe(WIDTH);
		expect(shown.canvas, 'the map canvas is at least half the screen high').toBeGreaterThanOrEqual(half);
		expect(shown.visible, 'collapsed: the map shows over at least half the screen').toBeGreaterThanOrEqual(half);
		// collapsed: a handle and one line; the sidebar's contents are out of sight
		await expect(page.getByLabel('搜索区域')).toBeHidden();

		// the handle rides on the sheet's top edge while its height slides (0.2 s): a finger taps it
		// once it has stopped, and so does this walk (on a busy machine a tap aimed mid-slide misses)
		const settled = () => expect.poll(async () => {
			const a = (await sheet.boundingBox()).height;
			await page.waitForTimeout(250);
			return a === (await sheet.boundingBox()).height;
		}, { message: 'the sheet has stopped sliding' }).toBe(true);
		await page.getByRole('button', { name: '展开地图面板' }).tap();
		await expect(sheet).toHaveAttribute('data-state', 'half');
		await expect(page.getByLabel('搜索区域'), 'the search is in the sheet').toBeVisible();
		await expect(page.getByRole('tree'), 'the area tree is in the sheet').toBeAttached();
		await settled();
		shown = await mapShown();
		expect(shown.visible, 'half: the map still shows over at least half the screen').toBeGreaterThanOrEqual(half);
		await page.getByRole('button', { name: '展开地图面板' }).tap();
		await expect(sheet).toHaveAttribute('data-state', 'full');
		await expect(page.getByTestId('legend'), 'the legend is in the sheet').toBeVisible();
		await settled();
		await page.getByRole('button', { name: '收起地图面板' }).tap();
		await expect(sheet).toHaveAttribute('data-state', 'collapsed');
		await expect.poll(async () => Math.round((await sheet.boundingBox()).height), 'the sheet settles collapsed').toBe(64);

		// a household tapped on the map: its details open the sheet. At the grid's zoom a building's
		// households are one dot under the hazards found at them (专项行动 findings sit on their
		// households): a worker zooms in on the building to tap one household, and so does this walk
		await page.waitForFunction(() => window.__gridmap?.drawnPoints.households?.count > 0, null, { timeout: 30_000 });
		await page.evaluate(() => {
			const c = window.__gridmap;
			const d = c.drawnPoints.households;
			c.map.jumpTo({ center: [d.positions[0], d.positions[1]], zoom: 18 });
		});
		const top = (await sheet.boundingBox()).y - (await canvas.boundingBox()).y;
		// looked for until the overlay has redrawn at the new zoom
		const findHousehold = () => page.evaluate((top) => {
			const c = window.__gridmap;
			const canvas = c.map.getCanvas();
			const d = c.drawnPoints.households;
			for (const o of c.overlay.pickObjects({ x: 20, y: 60, width: canvas.clientWidth - 80, height: Math.max(1, top - 120), layerIds: ['households'], maxObjects: 400 })) {
				const p = c.map.project([d.positions[2 * o.index], d.positions[2 * o.index + 1]]);
				const hit = c.overlay.pickObject({ x: p.x, y: p.y, radius: 5 });
				if (hit && hit.layer.id === 'households') return { x: p.x, y: p.y };
			}
			return null;
		}, top);
		await expect.poll(findHousehold, { message: 'a household of the grid worker\'s own grid is on the map', timeout: 15_000 }).not.toBeNull();
		const at = await findHousehold();
		const box = await canvas.boundingBox();
		await page.touchscreen.tap(box.x + at.x, box.y + at.y);
		await expect(page.locator('[data-testid=details][data-kind=household]')).toBeVisible({ timeout: 15_000 });
		await expect(sheet).toHaveAttribute('data-state', 'half');
		// measured once the sheet has finished sliding up (it animates to half)
		await expect.poll(async () => (await page.getByTestId('details').boundingBox()).y - (await sheet.boundingBox()).y,
			'the details are on top of the sheet').toBeLessThan(90);
		await expectFits(page, '/ with details');
	} finally {
		await context.close();
	}
});

test('更多 on a phone opens every other section, each a finger-sized target', async ({ browser }) => {
	const { context, page } = await signedIn(browser, USERS.gridWorker, PHONE);
	try {
		await open(page, '/requests');
		const more = page.getByRole('button', { name: '更多' });
		await more.tap();
		await expect(more).toHaveAttribute('aria-expanded', 'true');
		const menu = page.locator('#app-nav');
		await expect(menu.getByRole('link', { name: '考核指标' })).toBeVisible();
		await expect(menu.getByRole('link', { name: '账号与安全' })).toBeVisible();
		await expect(menu.getByRole('button', { name: '退出' })).toBeVisible();
		for (const el of await menu.locator('a, button').all()) {
			if (!(await el.isVisible())) continue;
			expect((await el.boundingBox()).height, 'a menu target is ≥ 44 px high').toBeGreaterThanOrEqual(44);
		}
		await expectFits(page, '/requests with 更多 open');
		await Promise.all([page.waitForURL((u) => u.pathname === '/kpi'), menu.getByRole('link', { name: '考核指标' }).tap()]);
		await expect(more, 'the menu closes once a link was followed').toHaveAttribute('aria-expanded', 'false');
	} finally {
		await context.close();
	}
});

test('the leaders\' pages are readable on a phone: no sideways scroll', async ({ browser }) => {
	const { context, page } = await signedIn(browser, USERS.leader, PHONE);
	try {
		for (const path of ['/kpi', '/hotspots', '/visits', '/research', '/pairings']) {
			await open(page, path);
			const m = await measure(page);
			expect(m.scrollWidth, `${path}: the page is no wider than the phone`).toBeLessThanOrEqual(WIDTH);
		}
	} finally {
		await context.close();
	}
});

test('at a desk (1440×900) the top navigation and the map\'s sidebar are as they were', async ({ browser }) => {
	const { context, page } = await signedIn(browser, USERS.gridWorker, { viewport: { width: 1440, height: 900 } });
	try {
		await open(page, '/');
		const nav = page.getByRole('navigation', { name: '主导航' });
		await expect(nav.getByRole('link', { name: '诉求清单' })).toBeVisible();
		expect((await nav.boundingBox()).y, 'the navigation is in the top bar').toBeLessThan(60);
		await expect(page.getByRole('navigation', { name: '常用功能' }), 'no bottom bar at a desk').toBeHidden();
		await expect(page.getByRole('button', { name: '更多' })).toBeHidden();
		await expect(page.getByRole('button', { name: /深色主题|浅色主题/ })).toBeVisible();
		// the sidebar (search, area tree) at the left of the map, the legend over the map
		const search = await page.getByLabel('搜索区域').boundingBox();
		const map = await page.getByTestId('map').boundingBox();
		const legend = await page.getByTestId('legend').boundingBox();
		expect(search.x + search.width, 'the search is left of the map').toBeLessThanOrEqual(map.x);
		expect(map.width, 'the map fills the rest of the width').toBeGreaterThan(1100);
		expect(legend.x, 'the legend is over the map').toBeGreaterThanOrEqual(map.x);
		expect(legend.y + legend.height, 'the legend is over the map').toBeLessThanOrEqual(map.y + map.height);
		await expect(page.getByRole('button', { name: /展开地图面板|收起地图面板/ }), 'no sheet handle at a desk').toBeHidden();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
	} finally {
		await context.close();
	}
});
