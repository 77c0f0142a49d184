// Accessibility (WCAG 2.1 AA, as GB/T 37668 asks of government sites): axe-core finds nothing on
// every page of the app, each opened by a user of a role that works there, in the light and the
// dark theme — one case per page, the page loaded once per theme in one signed-in tab per role. Only the maps' WebGL canvases are left out (a picture
// of the map, described beside it); MapLibre's own controls are checked like the rest.
// Then the shell's navigation per role, and flows done by keyboard alone, with where focus lands.
// (was tests/e2e/a11y.e2e.mjs)
import { createRequire } from 'node:module';
import path from 'node:path';
import { BASE, expect, openPage, signedIn, test, USERS } from './fixtures.mjs';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const AXE = require('axe-core').source;
const WCAG21AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe's violations on the page as "rule ×n: selector | selector" lines. */
async function axe(page) {
	// evaluated over the DevTools protocol: the app's CSP (no inline script) rightly refuses a script tag
	await page.evaluate(AXE);
	return page.evaluate(async (tags) => {
		const r = await window.axe.run({ exclude: [['.maplibregl-canvas-container']] }, { runOnly: { type: 'tag', values: tags } });
		return r.violations.map((v) => `${v.id} ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
	}, WCAG21AA);
}

const THEMES = [['light', '浅色'], ['dark', '深色']];

/**
 * One signed-in tab per role (null: signed out), kept for this file: its cases run in order on one
 * worker, and signing in (or opening the landing page) again per page would be most of their time.
 */
const tabs = new Map();
async function tabFor(browser, role) {
	if (!tabs.has(role)) tabs.set(role, role ? await signedIn(browser, USERS[role]) : await openPage(browser));
	return tabs.get(role);
}
test.afterAll(async () => {
	for (const { context } of tabs.values()) await context.close().catch(() => {});
	tabs.clear();
});

/** A real detail page: the first link on `list` matching `pattern`; when there is none, `create(page)` makes one and gives its path. */
async function findDetail(page, { list, pattern, create }) {
	await page.goto(`${BASE}${list}`);
	const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	return hrefs.find((h) => pattern.test(h)) ?? (create ? await create(page) : null);
}

/** A 调研课题 of one site, saved through the API as the leader does from /hotspots. */
async function newResearchPlan(page) {
	const res = await page.request.post(`${BASE}/api/research/topics`, {
		data: { topic: '无障碍检查用课题（浏览器测试）', sites: [{ gridCode: '430199001001001', role: 'study', reason: '无障碍检查需要一个真实的调研课题页面' }] }
	});
	expect(res.status(), 'the plan is saved').toBe(201);
	return `/research/${(await res.json()).id}`;
}

// Every page (find src/routes -name '+page.svelte'), with the role that opens it. Detail pages are
// found from their lists. Left out: /screen (the wall display, a full-screen map of its own).
const PAGES = [
	['/', 'leader'],
	['/kpi', 'leader'],
	['/kpi/drill?kpi=hazard_rate&part=den', 'leader'],
	['/workspace', 'gridWorker'],
	['/requests', 'dispatcher'],
	['/requests/[id]', 'dispatcher', { list: '/requests?status=reported', pattern: /^\/requests\/\d+$/ }],
	['/requests/new', 'gridWorker'],
	['/hotspots', 'leader'],
	['/visits', 'leader'],
	['/visits/new', 'leader'],
	['/visits/[id]', 'leader', { list: '/visits', pattern: /^\/visits\/\d+$/ }],
	['/pairings', 'leader'],
	['/petitions', 'leader'],
	['/workers', 'leader'],
	['/workers/me', 'gridWorker'],
	['/patrol', 'gridWorker'],
	['/research', 'leader'],
	['/research/[id]', 'leader', { list: '/research', pattern: /^\/research\/\d+$/, create: newResearchPlan }],
	['/admin/users', 'admin'],
	['/admin/audit', 'admin'],
	['/admin/import', 'admin'],
	['/admin/deadlines', 'admin'],
	['/admin/kpi-targets', 'admin'],
	['/admin/care', 'admin'],
	['/admin/system', 'admin'],
	['/account', 'admin'],
	['/login', null]
];

test.describe('axe finds no WCAG 2.1 AA violation', () => {
	for (const [route, role, detail] of PAGES) {
		test(`${route} (${role ?? '未登录'}), 浅色 and 深色`, async ({ browser }) => {
			const { context, page } = await tabFor(browser, role);
			const target = detail ? await findDetail(page, detail) : route;
			expect(target, `a real ${route} linked from ${detail?.list}`).toBeTruthy();
			for (const [theme, themeName] of THEMES) {
				await context.addCookies([{ name: 'theme', value: theme, url: BASE }]);
				await page.goto(`${BASE}${target}`);
				await page.waitForLoadState('networkidle').catch(() => {});
				if (route === '/hotspots') await page.waitForSelector('[data-testid=summary]', { timeout: 60_000 });
				// the root layout marks <html> with the theme once the page is hydrated: axe checks the live page
				await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
				expect(await axe(page), `${target} in the ${themeName} theme`).toEqual([]);
			}
		});
	}
});

test.describe('navigation by role', () => {
	test('a leader sees 调研课题 and no administration', async ({ leaderPage: page }) => {
		const nav = await page.locator('nav.app-nav a').allInnerTexts();
		expect(nav).toContain('调研课题');
		expect(nav).not.toContain('账号管理');
	});

	test('a grid worker sees neither 调研课题 nor administration', async ({ gridWorkerPage: page }) => {
		const nav = await page.locator('nav.app-nav a').allInnerTexts();
		expect(nav).not.toContain('调研课题');
		expect(nav).not.toContain('账号管理');
	});
});

test.describe('by keyboard alone', () => {
	/** Presses Tab until `matches(activeElement)` holds (at most `max` times); returns whether it did. */
	async function tabTo(page, matches, max = 80) {
		for (let i = 0; i < max; i++) {
			await page.keyboard.press('Tab');
			if (await page.evaluate(matches)) return true;
		}
		return false;
	}
	const focused = (page) => page.evaluate(() => {
		const el = document.activeElement;
		return { tag: el?.tagName.toLowerCase(), id: el?.id, name: el?.getAttribute('name'), text: el?.textContent?.trim().slice(0, 40) };
	});

	test('the first Tab stop skips to the content, and Enter puts focus on it', async ({ gridWorkerPage: page }) => {
		await page.goto(`${BASE}/visits`);
		await page.keyboard.press('Tab');
		expect((await focused(page)).text).toBe('跳到正文');
		await page.keyboard.press('Enter');
		expect(await focused(page)).toMatchObject({ tag: 'main', id: 'main' });
	});

	test('signing in: the form by Tab and Enter lands on the workspace', async ({ browser }) => {
		const { context, page } = await openPage(browser);
		try {
			await page.goto(`${BASE}/login?redirect=${encodeURIComponent('/workspace')}`);
			expect(await tabTo(page, () => document.activeElement?.getAttribute('name') === 'username', 10), 'Tab reaches 用户名').toBe(true);
			await page.keyboard.type(USERS.leader);
			await page.keyboard.press('Tab');
			expect((await focused(page)).name, 'the next Tab stop is 密码').toBe('password');
			await page.keyboard.type('Demo-2026-grid');
			await Promise.all([page.waitForURL((u) => u.pathname === '/workspace', { timeout: 60_000 }), page.keyboard.press('Enter')]);
			await page.keyboard.press('Tab');
			expect((await focused(page)).text, 'on the new page the skip link is again the first stop').toBe('跳到正文');
		} finally {
			await context.close();
		}
	});

	test('the phone menu opens by keyboard, its first link is the next stop, and Enter follows a link', async ({ browser }) => {
		const { context, page } = await signedIn(browser, USERS.gridWorker, { viewport: { width: 390, height: 844 } });
		try {
			await page.goto(`${BASE}/visits`);
			// the phone's menu is 更多 on the bottom bar (issue 16); it opens the whole menu
			const toggle = page.getByRole('button', { name: '更多' });
			expect(await tabTo(page, () => document.activeElement?.textContent?.trim() === '更多', 10), 'Tab reaches 更多').toBe(true);
			await expect(toggle).toHaveAttribute('aria-expanded', 'false');
			await page.keyboard.press('Enter');
			await expect(toggle).toHaveAttribute('aria-expanded', 'true');
			await page.keyboard.press('Tab');
			const first = await focused(page);
			expect(first, 'the next stop is the menu\'s first link').toMatchObject({ tag: 'a', text: '地图' });
			expect(await tabTo(page, () => document.activeElement?.textContent?.trim() === '诉求清单', 5), 'Tab reaches 诉求清单').toBe(true);
			await Promise.all([page.waitForURL((u) => u.pathname === '/requests'), page.keyboard.press('Enter')]);
			await expect(toggle, 'the menu closes once a link was followed').toHaveAttribute('aria-expanded', 'false');
		} finally {
			await context.close();
		}
	});

	test('a request opened from the list and dispatched by keyboard', async ({ dispatcherPage: page }) => {
		await page.goto(`${BASE}/requests?status=reported`);
		const opened = await tabTo(page, () => /^\/requests\/\d+$/.test(document.activeElement?.getAttribute('href') ?? ''));
		expect(opened, 'Tab reaches a request in the list').toBe(true);
		const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
		await Promise.all([page.waitForURL((u) => u.pathname === href), page.keyboard.press('Enter')]);
		await expect(page.locator('[data-testid=status]')).toHaveText('已上报');
		const reached = await tabTo(page, () => document.activeElement?.closest('[data-testid=move-dispatch]') && document.activeElement.getAttribute('name') === 'reason');
		expect(reached, 'Tab reaches the 说明 of 派单').toBe(true);
		await page.keyboard.type('键盘操作派单（浏览器测试）');
		await Promise.all([page.waitForURL(/done=/), page.keyboard.press('Enter')]);
		await expect(page.locator('[data-testid=status]')).toHaveText('已派单');
		await page.keyboard.press('Tab');
		expect((await focused(page)).text, 'after the move the skip link is the first stop again').toBe('跳到正文');
	});
});
