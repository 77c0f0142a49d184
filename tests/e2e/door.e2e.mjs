#!/usr/bin/env node
// The front door as users meet it: the app started with `npm start` and nothing else, opened at
// http://grid.intranet:PORT (a host name on plain http, so not a secure context). A grid manager
// signs in through the password form, files a report through the form at /requests/new and signs
// out, on a desktop and then on a phone (390×844, touch). Over http the session cookie must not be
// Secure (the browser would drop it) and no HSTS may be sent; a cross-origin post is refused, and
// forwarded headers from a client (no TRUST_PROXY) change neither the scheme nor the host.
//   BASE_URL=http://grid.intranet:3123 node tests/e2e/door.e2e.mjs
import { BASE, artifacts, createChecks, launchBrowser, openPage, waitReady } from './harness.mjs';

const OUT = artifacts('door');
const checks = createChecks('door');
const { check } = checks;
const USER = 'wg430199001001001'; // the first grid's 网格员 (README, demo accounts)
const PASSWORD = 'Demo-2026-grid';
const DEVICES = [
	['desktop', { viewport: { width: 1280, height: 900 } }],
	['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }]
];

/** The demo sign-in from Node (no browser), with extra request headers; the raw answer. */
const demoSignIn = (headers = {}) => fetch(`${BASE}/login/demo?user=${USER}&redirect=/`, { redirect: 'manual', headers });

/** A point inside the grid manager's own grid: grids are Voronoi cells (convex), so the mean of a ring's corners lies inside. */
async function ownGridPoint(page) {
	const grids = await (await page.request.get(`${BASE}/api/map/grids`)).json();
	const own = grids.features?.find((f) => f.properties.code === USER.slice(2));
	const ring = own?.geometry.coordinates[0][0].slice(0, -1);
	if (!ring?.length) return null;
	return { lon: ring.reduce((s, p) => s + p[0], 0) / ring.length, lat: ring.reduce((s, p) => s + p[1], 0) / ring.length };
}

async function door(browser, device, options) {
	const { context, page } = await openPage(browser, { ...options, locale: 'zh-CN' });
	const documents = [];
	page.on('response', (r) => r.request().resourceType() === 'document' && documents.push(r));

	// ── sign in through the password form ──
	await page.goto(`${BASE}/login?redirect=${encodeURIComponent('/workspace')}`);
	check(`${device}: http://grid.intranet is not a secure context`, (await page.evaluate(() => window.isSecureContext)) === false, page.url());
	await page.fill('input[name=username]', USER);
	await page.fill('input[name=password]', PASSWORD);
	await Promise.all([page.waitForURL((u) => u.pathname === '/workspace', { timeout: 30_000 }), page.click('button[type=submit]')]);
	const session = (await context.cookies(BASE)).find((c) => c.name === 'gg_session');
	check(`${device}: the password form signs in and lands on the workspace`, !!session && new URL(page.url()).pathname === '/workspace', page.url());
	check(`${device}: the session cookie is HttpOnly and not Secure on http`, session?.httpOnly === true && session?.secure === false, JSON.stringify({ secure: session?.secure, httpOnly: session?.httpOnly }));
	const hsts = documents.filter((r) => r.headers()['strict-transport-security']);
	check(`${device}: no Strict-Transport-Security on http`, documents.length > 0 && hsts.length === 0, `${documents.length} documents, ${hsts.length} with HSTS`);

	// ── a report through the form, at a place in the own grid ──
	const at = await ownGridPoint(page);
	check(`${device}: the grid manager's map holds the own grid`, !!at, JSON.stringify(at));
	const text = `楼道堆放杂物影响通行（浏览器测试 ${device} ${Date.now()}）`;
	await page.goto(`${BASE}/requests/new?lon=${at.lon}&lat=${at.lat}`);
	await page.waitForFunction(() => /所在网格/.test(document.querySelector('[data-testid=picked-grid]')?.textContent ?? ''), null, { timeout: 30_000 });
	const category = await page.locator('[data-testid=category] option').nth(1).getAttribute('value');
	await page.selectOption('[data-testid=category]', category);
	await page.fill('[data-testid=description]', text);
	await page.screenshot({ path: `${OUT}/${device}-report.png` });
	const [width, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	check(`${device}: the report form fits the screen's width`, width <= inner, `${width} px wide in a ${inner} px window`);
	// on the phone the button is tapped, as a finger does
	const submit = options.hasTouch ? page.tap('[data-testid=submit-report]') : page.click('[data-testid=submit-report]');
	await Promise.all([page.waitForURL(/\/requests\/\d+\?reported=1/, { timeout: 30_000 }), submit]);
	const id = /\/requests\/(\d+)/.exec(page.url())?.[1];
	const saved = await page.request.get(`${BASE}/api/requests/${id}`);
	const body = saved.ok() ? await saved.json() : null;
	check(`${device}: the report is saved`, saved.status() === 200 && JSON.stringify(body).includes(text), `request ${id}: HTTP ${saved.status()}`);

	// ── sign out through the nav's form ──
	await Promise.all([page.waitForURL((u) => u.pathname === '/login', { timeout: 30_000 }), page.click('form[action="/logout"] button')]);
	const left = (await context.cookies(BASE)).find((c) => c.name === 'gg_session');
	check(`${device}: signing out clears the session cookie`, !left, left ? 'cookie still there' : 'gone');
	const after = await page.goto(`${BASE}/workspace`);
	check(`${device}: after signing out a protected page sends to the sign-in`, new URL(page.url()).pathname === '/login' && after.ok(), page.url());
	await context.close();
}

async function run() {
	await waitReady(300);
	for (const [device, options] of DEVICES) await door(browser, device, options);

	// ── from Node: cross-site posts, and forwarded headers nobody was told to trust ──
	const signedIn = await demoSignIn();
	const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0];
	check('demo sign-in answers with a session', signedIn.status === 303 && cookie.startsWith('gg_session='), `HTTP ${signedIn.status}`);
	const evil = await fetch(`${BASE}/api/requests`, { method: 'POST', headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ description: 'x' }) });
	const evilBody = await evil.json().catch(() => null);
	check('a cross-origin JSON POST is refused 403 csrf', evil.status === 403 && evilBody?.error?.code === 'csrf', `HTTP ${evil.status} ${JSON.stringify(evilBody)}`);
	const evilForm = await fetch(`${BASE}/logout`, { method: 'POST', headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
	check('a cross-origin form POST (sign-out) is refused 403', evilForm.status === 403, `HTTP ${evilForm.status}`);
	const claimed = await demoSignIn({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' });
	const claimedCookie = claimed.headers.get('set-cookie') ?? '';
	check('X-Forwarded-Proto: https from a client (no TRUST_PROXY) gets no Secure cookie and no HSTS',
		claimedCookie.startsWith('gg_session=') && !/;\s*Secure/i.test(claimedCookie) && !claimed.headers.get('strict-transport-security'), claimedCookie.replace(/=[^;]+/, '=…'));
	const spoofed = await fetch(`${BASE}/api/requests`, {
		method: 'POST',
		headers: { cookie, origin: 'http://evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http', 'content-type': 'application/json' },
		body: JSON.stringify({ description: 'x' })
	});
	check('X-Forwarded-Host naming the attacker does not make its origin same-site', spoofed.status === 403, `HTTP ${spoofed.status}`);
	const same = await fetch(`${BASE}/api/requests?limit=1`, { headers: { cookie } });
	check('the session is still good after all that (nothing above signed it out)', same.status === 200, `HTTP ${same.status}`);
}

const browser = await launchBrowser();
await checks.runToEnd(browser, run);
