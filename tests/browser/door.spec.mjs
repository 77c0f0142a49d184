// The front door as users meet it: the app started with `npm start` and nothing else, opened at
// http://grid.intranet:PORT (a host name on plain http, so not a secure context). A grid manager
// signs in through the password form, files a report through the form at /requests/new and signs
// out, on a desktop and then on a phone (390×844, touch). Over http the session cookie must not be
// Secure (the browser would drop it) and no HSTS may be sent; a cross-origin post is refused, and
// forwarded headers from a client (no TRUST_PROXY) change neither the scheme nor the host.
// (was tests/e2e/door.e2e.mjs)
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, openPage, PASSWORD, test, USERS } from './fixtures.mjs';

const OUT = artifacts('door');
const USER = USERS.gridWorker; // the first grid's 网格员 (README, demo accounts)
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

for (const [device, options] of DEVICES) {
	test.describe(`${device}: sign in, report, sign out`, () => {
		test.describe.configure({ mode: 'serial' });
		let context;
		let page;
		const documents = [];
		test.beforeAll(async ({ browser }) => {
			({ context, page } = await openPage(browser, { ...options, locale: 'zh-CN' }));
			page.on('response', (r) => r.request().resourceType() === 'document' && documents.push(r));
		});
		test.afterAll(() => context?.close());

		test(`${device}: the password form signs in over plain http: not a secure context, HttpOnly non-Secure cookie, no HSTS`, async () => {
			await page.goto(`${BASE}/login?redirect=${encodeURIComponent('/workspace')}`);
			expect(await page.evaluate(() => window.isSecureContext), `${device}: http://grid.intranet is not a secure context`).toBe(false);
			await page.fill('input[name=username]', USER);
			await page.fill('input[name=password]', PASSWORD);
			await Promise.all([page.waitForURL((u) => u.pathname === '/workspace', { timeout: 30_000 }), page.click('button[type=submit]')]);
			const session = (await context.cookies(BASE)).find((c) => c.name === 'gg_session');
			expect(!!session && new URL(page.url()).pathname === '/workspace', `${device}: the password form signs in and lands on the workspace (${page.url()})`).toBe(true);
			expect({ secure: session?.secure, httpOnly: session?.httpOnly }, `${device}: the session cookie is HttpOnly and not Secure on http`).toEqual({ secure: false, httpOnly: true });
			const hsts = documents.filter((r) => r.headers()['strict-transport-security']);
			expect(documents.length, `${device}: documents seen`).toBeGreaterThan(0);
			expect(hsts.length, `${device}: no Strict-Transport-Security on http (${documents.length} documents, ${hsts.length} with HSTS)`).toBe(0);
		});

		test(`${device}: a report through the form at a place in the own grid, the form fitting the screen`, async () => {
			const at = await ownGridPoint(page);
			expect(at, `${device}: the grid manager's map holds the own grid`).toBeTruthy();
			const text = `楼道堆放杂物影响通行（浏览器测试 ${device} ${Date.now()}）`;
			await page.goto(`${BASE}/requests/new?lon=${at.lon}&lat=${at.lat}`);
			await page.waitForFunction(() => /所在网格/.test(document.querySelector('[data-testid=picked-grid]')?.textContent ?? ''), null, { timeout: 30_000 });
			const category = await page.locator('[data-testid=category] option').nth(1).getAttribute('value');
			await page.selectOption('[data-testid=category]', category);
			await page.fill('[data-testid=description]', text);
			await page.screenshot({ path: `${OUT}/${device}-report.png` });
			const [width, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
			expect(width, `${device}: the report form fits the screen's width: ${width} px wide in a ${inner} px window`).toBeLessThanOrEqual(inner);
			// on the phone the button is tapped, as a finger does
			const submit = options.hasTouch ? page.tap('[data-testid=submit-report]') : page.click('[data-testid=submit-report]');
			await Promise.all([page.waitForURL(/\/requests\/\d+\?reported=1/, { timeout: 30_000 }), submit]);
			const id = /\/requests\/(\d+)/.exec(page.url())?.[1];
			const saved = await page.request.get(`${BASE}/api/requests/${id}`);
			const body = saved.ok() ? await saved.json() : null;
			expect(saved.status(), `${device}: the report is saved: request ${id}`).toBe(200);
			expect(JSON.stringify(body)).toContain(text);
		});

		test(`${device}: signing out clears the session cookie and a protected page then sends to the sign-in`, async () => {
			// at a desk 退出 is in the top bar; on a phone in the 更多 menu
			const more = page.getByRole('button', { name: '更多' });
			if (await more.isVisible()) await more.click();
			await Promise.all([page.waitForURL((u) => u.pathname === '/login', { timeout: 30_000 }), page.click('form[action="/logout"] button:visible')]);
			const left = (await context.cookies(BASE)).find((c) => c.name === 'gg_session');
			expect(left, `${device}: signing out clears the session cookie`).toBeUndefined();
			const after = await page.goto(`${BASE}/workspace`);
			expect(new URL(page.url()).pathname === '/login' && after.ok(), `${device}: after signing out a protected page sends to the sign-in (${page.url()})`).toBe(true);
		});
	});
}

test.describe('from Node: cross-site posts, and forwarded headers nobody was told to trust', () => {
	let cookie;
	test.beforeAll(async () => {
		const signedIn = await demoSignIn();
		cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0];
		expect(signedIn.status, 'demo sign-in answers with a session').toBe(303);
		expect(cookie).toMatch(/^gg_session=/);
	});

	test('a cross-origin JSON POST is refused 403 csrf', async () => {
		const evil = await fetch(`${BASE}/api/requests`, { method: 'POST', headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ description: 'x' }) });
		const evilBody = await evil.json().catch(() => null);
		expect({ status: evil.status, code: evilBody?.error?.code }, `HTTP ${evil.status} ${JSON.stringify(evilBody)}`).toEqual({ status: 403, code: 'csrf' });
	});

	test('a cross-origin form POST (sign-out) is refused 403', async () => {
		const evilForm = await fetch(`${BASE}/logout`, { method: 'POST', headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
		expect(evilForm.status).toBe(403);
	});

	test('X-Forwarded-Proto: https from a client (no TRUST_PROXY) gets no Secure cookie and no HSTS', async () => {
		const claimed = await demoSignIn({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' });
		const claimedCookie = claimed.headers.get('set-cookie') ?? '';
		const shown = claimedCookie.replace(/=[^;]+/, '=…');
		expect(claimedCookie, shown).toMatch(/^gg_session=/);
		expect(claimedCookie, shown).not.toMatch(/;\s*Secure/i);
		expect(claimed.headers.get('strict-transport-security')).toBeNull();
	});

	test('X-Forwarded-Host naming the attacker does not make its origin same-site', async () => {
		const spoofed = await fetch(`${BASE}/api/requests`, {
			method: 'POST',
			headers: { cookie, origin: 'http://evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http', 'content-type': 'application/json' },
			body: JSON.stringify({ description: 'x' })
		});
		expect(spoofed.status).toBe(403);
	});

	test('the session is still good after all that (nothing above signed it out)', async () => {
		const same = await fetch(`${BASE}/api/requests?limit=1`, { headers: { cookie } });
		expect(same.status).toBe(200);
	});
});
