#!/usr/bin/env node
// Hostile inputs against the running server (BASE_URL): not signed in, SQL and script injection,
// path traversal, oversized bodies, ids of other grids, cross-site posts, floods of reports and of
// wrong passwords. Every answer must be a 4xx with a structured error — never a 500, never a stack
// trace, SQL text or a whole phone/ID number — and nothing may be written but the one request
// filed on purpose. Then, in Chromium, the stored script-bearing request renders as text.
import { BASE, artifacts, createChecks, launchBrowser, openPage, waitReady } from './harness.mjs';

const OUT = artifacts('security');
const checks = createChecks('security');
const { check } = checks;
const PII = /(?<!\d)1[3-9]\d{9}(?!\d)|(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;
const LEAK = /\bat [\w.<>]+ \(|node_modules|\.js:\d+|\bSELECT\b|\bFROM\b|syntax error|PostgresError|stack/;
const statuses = [];

async function call(path, { cookie, method = 'GET', body, headers = {} } = {}) {
	const res = await fetch(BASE + path, {
		method, redirect: 'manual',
		headers: { ...(cookie ? { cookie } : {}), ...(body && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}), ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
	});
	const text = await res.text();
	let json = null;
	try { json = JSON.parse(text); } catch { /* not JSON */ }
	statuses.push([method, path.slice(0, 80), res.status]);
	return { status: res.status, headers: res.headers, text, json };
}

/** A 4xx with {error: {code, message}} and nothing in it that should not leave the server. */
function refused(name, r, status, extra = () => true) {
	const clean = !LEAK.test(r.text) && !PII.test(r.text);
	const ok = (Array.isArray(status) ? status.includes(r.status) : r.status === status) && clean && extra(r);
	check(name, ok, `HTTP ${r.status} ${r.text.slice(0, 140).replace(/\s+/g, ' ')}${clean ? '' : ' (LEAKS)'}`);
}

async function signInAs(username) {
	const res = await fetch(`${BASE}/login/demo?user=${encodeURIComponent(username)}&redirect=/`, { redirect: 'manual' });
	const set = res.headers.get('set-cookie') ?? '';
	const m = /gg_session=([^;]+)/.exec(set);
	if (!m) throw new Error(`no session for ${username}: HTTP ${res.status}`);
	return { cookie: `gg_session=${m[1]}`, setCookie: set };
}

async function run() {
	await waitReady(300);

	// ── not signed in ──
	const home = await call('/');
	check('the map redirects a visitor to sign in', home.status === 303 && home.headers.get('location') === '/login?redirect=%2F', `${home.status} → ${home.headers.get('location')}`);
	for (const p of ['/api/requests', '/api/map/grids', '/api/map/tiles/households/12/3323/1711', '/api/kpi', '/api/live']) {
		refused(`${p} without sign-in → 401`, await call(p), 401, (r) => r.json?.error?.code === 'unauthenticated');
	}
	const login = await call('/login');
	const csp = login.headers.get('content-security-policy') ?? '';
	check('security headers: CSP with script-src self and frame-ancestors none, nosniff, DENY framing, same-origin referrer',
		csp.includes("script-src 'self'") && csp.includes("frame-ancestors 'none'") && login.headers.get('x-content-type-options') === 'nosniff'
		&& login.headers.get('x-frame-options') === 'DENY' && login.headers.get('referrer-policy') === 'same-origin', csp.slice(0, 120));

	// ── signed in ──
	const admin = await signInAs('admin');
	check('the session cookie is HttpOnly and SameSite=Lax', /HttpOnly/i.test(admin.setCookie) && /SameSite=Lax/i.test(admin.setCookie), admin.setCookie.replace(/gg_session=[^;]+/, 'gg_session=…'));
	const totalOf = async () => (await call('/api/requests?from=2000-01-01&limit=1', admin)).json.total;
	const before = await totalOf();
	const open = (await call('/api/requests?status=open&from=2000-01-01&limit=300', admin)).json.rows;
	const mine = open[0];
	const other = open.find((r) => r.gridCode !== mine.gridCode);
	const gm = await signInAs('wg' + mine.gridCode);
	const gm2 = await signInAs('wg' + other.gridCode);

	// ── SQL injection ──
	const q = await call(`/api/requests?from=2000-01-01&limit=300&q=${encodeURIComponent("' OR '1'='1' --")}`, gm);
	check('a quote-laden search is a plain search inside the own grid', q.status === 200 && q.json.rows.every((r) => r.gridCode === mine.gridCode), `HTTP ${q.status}, ${q.json?.rows?.length} rows`);
	const all = await call('/api/requests?from=2000-01-01&limit=300', gm);
	check("a grid manager's list holds only their grid", all.status === 200 && all.json.rows.length > 0 && all.json.rows.every((r) => r.gridCode === mine.gridCode), `${all.json?.rows?.length} rows`);
	refused('area=…OR 1=1 → 400 naming area', await call(`/api/requests?area=${encodeURIComponent("430104' OR 1=1--")}`, gm), 400, (r) => r.json?.error?.field === 'area');
	refused('status=open;DROP TABLE → 400 naming status', await call(`/api/requests?status=${encodeURIComponent('open;DROP TABLE requests')}`, gm), 400, (r) => r.json?.error?.field === 'status');
	refused('request id "1 OR 1=1" → 400', await call(`/api/requests/${encodeURIComponent('1 OR 1=1')}`, gm), 400);
	refused("tile layer \"households';--\" → 400", await call(`/api/map/tiles/${encodeURIComponent("households';--")}/12/1/1`, gm), 400);

	// ── other grids ──
	refused("another grid's request → 404", await call(`/api/requests/${other.id}`, gm), 404);
	refused("a move on another grid's request → 4xx", await call(`/api/requests/${other.id}/moves`, { ...gm, method: 'POST', body: { action: 'accept' }, headers: { 'if-match': '"1"' } }), [400, 403, 404, 409, 422, 428]);
	refused('reporting into another grid → 403', await call('/api/requests', { ...gm, method: 'POST', body: { categoryCode: mine.category ?? 'x', description: '越界上报', lon: other.lon, lat: other.lat } }), [400, 403]);
	const exported = await call(`/api/requests/export?format=csv&from=2000-01-01&area=${other.gridCode}`, gm);
	check("an export of another grid's requests holds none of them", exported.status === 200 && !exported.text.includes(other.code) && exported.text.trim().split('\n').length === 1,
		`HTTP ${exported.status}, ${exported.text.trim().split('\n').length - 1} data rows`);

	// ── path traversal ──
	for (const p of ['/..%2f..%2f..%2fetc%2fpasswd', '/_app/..%2f..%2f..%2f..%2fetc%2fpasswd', '/static/../../etc/passwd', `/api/requests/${mine.id}/photo/..%2f..%2fetc%2fpasswd`]) {
		const r = await call(p, gm);
		check(`${p} → 4xx, no file`, r.status >= 400 && r.status < 500 && !r.text.includes('root:x:0:0'), `HTTP ${r.status}`);
	}

	// ── oversized and malformed bodies ──
	refused('a 10 MB JSON body → 413', await call('/api/requests', { ...gm, method: 'POST', body: JSON.stringify({ description: 'x'.repeat(10 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } }), 413);
	refused('a 2001-character description → 400 naming description', await call('/api/requests', { ...gm, method: 'POST', body: { categoryCode: 'x', description: '长'.repeat(2001), lon: mine.lon, lat: mine.lat } }), 400, (r) => r.json?.error?.field === 'description');
	refused('a body that is not JSON → 400', await call('/api/requests', { ...gm, method: 'POST', body: '{"description": ', headers: { 'content-type': 'application/json' } }), 400);
	refused('a JSON array body → 400', await call('/api/requests', { ...gm, method: 'POST', body: [1, 2] }), 400);

	// ── cross-site posts ──
	refused('a cross-site JSON POST with the session cookie → 403 csrf', await call('/api/requests', { ...gm, method: 'POST', body: { description: 'x' }, headers: { origin: 'https://evil.example' } }), 403, (r) => r.json?.error?.code === 'csrf');
	refused('a cross-site sign-out → 403', await call('/logout', { ...gm, method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: '' }), 403);

	// ── script injection: stored as given, shown as text ──
	const payload = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';
	const cats = await call('/api/requests?status=open&from=2000-01-01&limit=1', gm);
	const category = cats.json.rows[0]?.category ?? mine.category;
	const filed = await call('/api/requests', { ...gm, method: 'POST', body: { categoryCode: category, title: payload.slice(0, 100), description: payload, lon: mine.lon, lat: mine.lat, reporterName: payload.slice(0, 50) } });
	check('a request whose text is markup is accepted as text', filed.status === 201, `HTTP ${filed.status} ${filed.text.slice(0, 120)}`);

	// ── floods ──
	let flood;
	for (let i = 0; i < 61; i++) flood = await call('/api/requests', { ...gm2, method: 'POST', body: {} });
	refused('the 61st report in 10 minutes → 429 with Retry-After', flood, 429, (r) => Number(r.headers.get('retry-after')) > 0);
	let attempt;
	for (let i = 0; i < 11; i++) {
		attempt = await call('/login', { method: 'POST', body: new URLSearchParams({ username: 'mediator2', password: 'wrong-password-' + i }).toString(),
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE, accept: 'application/json', 'x-sveltekit-action': 'true' } });
	}
	check('ten wrong passwords lock the account; the eleventh try says so', attempt.text.includes('锁定') && !PII.test(attempt.text), attempt.text.slice(0, 160));

	// ── nothing else written, nothing crashed ──
	const after = await totalOf();
	check('exactly one request was written by this suite', after === before + 1, `${before} → ${after}`);
	const crashed = statuses.filter(([, , s]) => s >= 500);
	check('no answer was a 5xx', crashed.length === 0, crashed.map((c) => c.join(' ')).join('; ') || `${statuses.length} answers`);

	// ── in the browser ──
	const { context, page } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
	const dialogs = [];
	page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
	await page.goto(`${BASE}/login/demo?user=${'wg' + mine.gridCode}&redirect=/requests/${filed.json.id}`);
	await page.getByText('window.__xss=1').first().waitFor({ timeout: 15_000 });
	const xss = await page.evaluate(() => window.__xss);
	await page.screenshot({ path: `${OUT}/request-with-markup.png` });
	check('the markup shows as text on the request page and runs nothing', xss === undefined && dialogs.length === 0, `__xss=${xss}`);
	await page.goto(`${BASE}/requests?q=${encodeURIComponent('window.__xss')}&from=2000-01-01`);
	await page.waitForLoadState('networkidle');
	check('…and in the request list', (await page.evaluate(() => window.__xss)) === undefined);
	await context.close();
}

const browser = await launchBrowser();
await checks.runToEnd(browser, run);
