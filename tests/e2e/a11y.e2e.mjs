#!/usr/bin/env node
// Accessibility (WCAG 2.1 AA, as GB/T 37668 asks of government sites): axe-core finds nothing on the
// pages of the app shell, each opened by a user of the role that works there, in the light and the
// dark theme. The maps' own canvases are left out (a picture of the map, described beside it).
// Also: the shell's navigation holds only what the role may use, and works by keyboard.
import { createRequire } from 'node:module';
import path from 'node:path';
import { BASE, createChecks, launchBrowser, openPage, waitReady } from './harness.mjs';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const AXE = require('axe-core').source;
const checks = createChecks('a11y');
const { check } = checks;

const browser = await launchBrowser();
await checks.runToEnd(browser, run);

async function axe(page) {
	// evaluated over the DevTools protocol: the app's CSP (no inline script) rightly refuses a script tag
	await page.evaluate(AXE);
	return page.evaluate(async () => {
		const r = await window.axe.run({ exclude: [['.maplibregl-canvas-container'], ['.maplibregl-ctrl-attrib']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
		return r.violations.map((v) => `${v.id} ×${v.nodes.length}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`);
	});
}

async function signIn(user) {
	const { context, page } = await openPage(browser, { viewport: { width: 1440, height: 900 } });
	await page.goto(`${BASE}/login/demo?user=${user}&redirect=/account`);
	await page.waitForURL(/\/account/);
	return { context, page };
}

async function audit(page, paths, theme) {
	for (const p of paths) {
		await page.goto(`${BASE}${p}`);
		await page.waitForLoadState('networkidle').catch(() => {});
		if (p.startsWith('/hotspots')) await page.waitForSelector('[data-testid=summary]', { timeout: 60_000 });
		const found = await axe(page);
		check(`${p} (${theme}): axe finds no WCAG 2.1 AA violation`, found.length === 0, found.join('; '));
	}
}

async function run() {
	await waitReady(240);

	// a leader: the leader's pages, light then dark
	const leader = await signIn('leader1');
	const { page } = leader;
	const nav = await page.locator('nav.app-nav a').allInnerTexts();
	check('a leader sees 调研课题 and no administration', nav.includes('调研课题') && !nav.includes('账号管理'), nav.join(' '));
	await page.goto(`${BASE}/research`);
	const plan = await page.locator('table a[href^="/research/"]').first().getAttribute('href').catch(() => null);
	const leaderPages = ['/hotspots', '/visits', '/visits/new', '/pairings', '/research', ...(plan ? [plan] : [])];
	await audit(page, leaderPages, '浅色');
	await page.getByRole('button', { name: '深色主题' }).click();
	await audit(page, leaderPages, '深色');
	await leader.context.close();

	// keyboard: the skip link is the first stop and lands on the content
	const grid = await signIn('wg430199001001001');
	await grid.page.goto(`${BASE}/visits`);
	await grid.page.keyboard.press('Tab');
	const first = await grid.page.evaluate(() => document.activeElement?.textContent?.trim());
	check('the first Tab stop skips to the content', first === '跳到正文', first ?? '');
	const gridNav = await grid.page.locator('nav.app-nav a').allInnerTexts();
	check('a grid worker sees neither 调研课题 nor administration', !gridNav.includes('调研课题') && !gridNav.includes('账号管理'), gridNav.join(' '));
	await grid.context.close();

	// an admin: the administration pages
	const admin = await signIn('admin');
	await audit(admin.page, ['/admin/users', '/admin/audit', '/account'], '浅色');
	await admin.context.close();
}
