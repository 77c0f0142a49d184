// The browser suite's test() with a signed-in page per role. Each page is a fresh browser context
// signed in through the password form (/login), as a user signs in; demo accounts from
// db/seed/ensure.ts (DEMO_PASSWORD_USERS: one per role with the demo password).
//   test('…', async ({ adminPage }) => …)
// `signedIn(browser, username, options)` gives any other demo user (e.g. a grid worker) or other
// context options (viewport, downloads).
import { test as base, expect } from '@playwright/test';
import { BASE, enableTestHooks, withTestHooks } from '../support/browser.mjs';

export { expect, BASE };

/** The same server at localhost: a secure context (as https would be), for location, service workers and the camera. */
export const LOCAL = (() => {
	const u = new URL(BASE);
	u.hostname = 'localhost';
	return u.origin;
})();
export const PASSWORD = 'Demo-2026-grid';
export const USERS = {
	admin: 'admin',
	leader: 'leader1', // 区领导
	streetLeader: 'leader_street',
	dispatcher: 'dispatcher', // 指挥中心
	mediator: 'mediator1',
	gridWorker: 'wg430199001001001', // the first grid's 网格员
	department: 'chengguan1' // 区城管局
};
const VIEWPORT = { width: 1600, height: 1000 };

/** A page in a new context (`options` as for browser.newContext) that logs its uncaught errors. */
export async function openPage(browser, options = {}) {
	const context = await browser.newContext({ locale: 'zh-CN', viewport: VIEWPORT, ...options });
	const page = await context.newPage();
	page.on('pageerror', (e) => console.log('page error:', e.message));
	return { context, page };
}

/**
 * Sessions already made by the password form, per user: each user signs in through the form once
 * per worker and later pages reuse the session cookie (Playwright's storageState habit). The app
 * allows 20 sign-in attempts per address in 10 minutes, as it would to an office behind one NAT
 * address; a suite signing in afresh for every case would meet that limit, not the product.
 */
const sessions = new Map();

/** A page signed in as `username` through the password form, left where the sign-in lands (/workspace). */
export async function signedIn(browser, username, options = {}, password = PASSWORD) {
	const reuse = password === PASSWORD ? sessions.get(username) : undefined;
	const { context, page } = await openPage(browser, reuse ? { ...options, storageState: reuse } : options);
	if (reuse) {
		await page.goto(`${BASE}/workspace`);
		if (new URL(page.url()).pathname === '/workspace') return { context, page };
		sessions.delete(username); // the session ended (signed out, idle): sign in again below
	}
	await page.goto(`${BASE}/login?redirect=${encodeURIComponent('/workspace')}`);
	await page.fill('input[name=username]', username);
	await page.fill('input[name=password]', password);
	await Promise.all([page.waitForURL((u) => u.pathname !== '/login', { timeout: 60_000 }), page.click('button[type=submit]')]);
	const cookie = (await context.cookies(BASE)).find((c) => c.name === 'gg_session');
	if (!cookie) throw new Error(`${username} did not get a session from the password form (${page.url()})`);
	if (password === PASSWORD) sessions.set(username, await context.storageState());
	return { context, page };
}

const rolePage = (username) => async ({ browser }, use) => {
	const { context, page } = await signedIn(browser, username);
	await use(page);
	await context.close();
};

export const test = base.extend({
	// the page-side test hooks (src/lib/map/testhooks.ts) on in every context: the fixtures' own,
	// Playwright's default `context`, and any a case makes with browser.newContext
	browser: [async ({ browser }, use) => use(withTestHooks(browser)), { scope: 'worker' }],
	context: async ({ context }, use) => {
		await enableTestHooks(context);
		await use(context);
	},
	adminPage: rolePage(USERS.admin),
	leaderPage: rolePage(USERS.leader),
	streetLeaderPage: rolePage(USERS.streetLeader),
	dispatcherPage: rolePage(USERS.dispatcher),
	gridWorkerPage: rolePage(USERS.gridWorker),
	departmentPage: rolePage(USERS.department),
	/** A fresh context, not signed in. */
	visitorPage: async ({ browser }, use) => {
		const { context, page } = await openPage(browser);
		await use(page);
		await context.close();
	}
});

/**
 * The old scripts' check(name, ok, detail) as a soft assertion: it fails the case but lets the
 * case run on, so every check of a step is reported, as the scripts did. Used where a converted
 * body keeps the script's checks line for line (map, screen).
 */
export function check(name, ok, detail = '') {
	expect.soft(Boolean(ok), detail ? `${name} — ${detail}` : name).toBe(true);
}
