// Hostile inputs against the running server: not signed in, SQL and script injection, path
// traversal, oversized bodies, ids of other grids, cross-site posts, floods of reports and of
// wrong passwords. Every answer must be a 4xx with a structured error — never a 500, never a stack
// trace, SQL text or a whole phone/ID number — and nothing may be written but the one request
// filed on purpose. Then, in Chromium, the stored script-bearing request renders as text.
// Cases in order (serial): the count of written requests and of 5xx answers spans them all.
// (was tests/e2e/security.e2e.mjs)
import { artifacts } from '../support/browser.mjs';
import { BASE, expect, openPage, test } from './fixtures.mjs';

const OUT = artifacts('security');
const PII = /(?<!\d)1[3-9]\d{9}(?!\d)|(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;
const LEAK = /\bat [\w.<>]+ \(|node_modules|\.js:\d+|\bSELECT\b|\bFROM\b|syntax error|PostgresError|stack/;
const statuses = [];
test.describe.configure({ mode: 'serial' });

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

/** A 4xx with {error: {code, message}} and nothing in it that should not leave the server (a soft assertion: every one is reported). */
function refused(name, r, status, extra = () => true) {
	const clean = !LEAK.test(r.text) && !PII.test(r.text);
	const ok = (Array.isArray(status) ? status.includes(r.status) : r.status === status) && clean && extra(r);
	expect.soft(ok, `${name} — HTTP ${r.status} ${r.text.slice(0, 140).replace(/\s+/g, ' ')}${clean ? '' : ' (LEAKS)'}`).toBe(true);
}

async function signInAs(username) {
	const res = await fetch(`${BASE}/login/demo?user=${encodeURIComponent(username)}&redirect=/`, { redirect: 'manual' });
	const set = res.headers.get('set-cookie') ?? '';
	const m = /gg_session=([^;]+)/.exec(set);
	if (!m) throw new Error(`no session for ${username}: HTTP ${res.status}`);
	return { cookie: `gg_session=${m[1]}`, setCookie: set };
}

let admin;
let before;
let mine;
let other;
let gm;
let gm2;
let filed;
const totalOf = async () => (await call('/api/requests?from=2000-01-01&limit=1', admin)).json.total;

test('not signed in: the map redirects to sign in, the API answers 401, security headers are set', async () => {
	const home = await call('/');
	expect.soft(home.status === 303 && home.headers.get('location') === '/login?redirect=%2F', `the map redirects a visitor to sign in — ${home.status} → ${home.headers.get('location')}`).toBe(true);
	for (const p of ['/api/requests', '/api/map/grids', '/api/map/tiles/households/12/3323/1711', '/api/kpi', '/api/live']) {
		refused(`${p} without sign-in → 401`, await call(p), 401, (r) => r.json?.error?.code === 'unauthenticated');
	}
	const login = await call('/login');
	const csp = login.headers.get('content-security-policy') ?? '';
	expect.soft(
		csp.includes("script-src 'self'") && csp.includes("frame-ancestors 'none'") && login.headers.get('x-content-type-options') === 'nosniff'
		&& login.headers.get('x-frame-options') === 'DENY' && login.headers.get('referrer-policy') === 'same-origin',
		`security headers: CSP with script-src self and frame-ancestors none, nosniff, DENY framing, same-origin referrer — ${csp.slice(0, 120)}`
	).toBe(true);
});

test('signed in: the session cookie is HttpOnly and SameSite=Lax', async () => {
	admin = await signInAs('admin');
	expect(/HttpOnly/i.test(admin.setCookie) && /SameSite=Lax/i.test(admin.setCookie), admin.setCookie.replace(/gg_session=[^;]+/, 'gg_session=…')).toBe(true);
	before = await totalOf();
	const open = (await call('/api/requests?status=open&from=2000-01-01&limit=300', admin)).json.rows;
	mine = open[0];
	other = open.find((r) => r.gridCode !== mine.gridCode);
	gm = await signInAs('wg' + mine.gridCode);
	gm2 = await signInAs('wg' + other.gridCode);
});

test('SQL injection: plain searches and named 400s inside the own grid', async () => {
	const q = await call(`/api/requests?from=2000-01-01&limit=300&q=${encodeURIComponent("' OR '1'='1' --")}`, gm);
	expect.soft(q.status === 200 && q.json.rows.every((r) => r.gridCode === mine.gridCode), `a quote-laden search is a plain search inside the own grid — HTTP ${q.status}, ${q.json?.rows?.length} rows`).toBe(true);
	const all = await call('/api/requests?from=2000-01-01&limit=300', gm);
	expect.soft(all.status === 200 && all.json.rows.length > 0 && all.json.rows.every((r) => r.gridCode === mine.gridCode), `a grid manager's list holds only their grid — ${all.json?.rows?.length} rows`).toBe(true);
	refused('area=…OR 1=1 → 400 naming area', await call(`/api/requests?area=${encodeURIComponent("430104' OR 1=1--")}`, gm), 400, (r) => r.json?.error?.field === 'area');
	refused('status=open;DROP TABLE → 400 naming status', await call(`/api/requests?status=${encodeURIComponent('open;DROP TABLE requests')}`, gm), 400, (r) => r.json?.error?.field === 'status');
	refused('request id "1 OR 1=1" → 400', await call(`/api/requests/${encodeURIComponent('1 OR 1=1')}`, gm), 400);
	refused("tile layer \"households';--\" → 400", await call(`/api/map/tiles/${encodeURIComponent("households';--")}/12/1/1`, gm), 400);
});

test('other grids: not readable, not movable, not reportable into, not exported', async () => {
	refused("another grid's request → 404", await call(`/api/requests/${other.id}`, gm), 404);
	refused("a move on another grid's request → 4xx", await call(`/api/requests/${other.id}/moves`, { ...gm, method: 'POST', body: { action: 'accept' }, headers: { 'if-match': '"1"' } }), [400, 403, 404, 409, 422, 428]);
	refused('reporting into another grid → 403', await call('/api/requests', { ...gm, method: 'POST', body: { categoryCode: mine.category ?? 'x', description: '越界上报', lon: other.lon, lat: other.lat } }), [400, 403]);
	const exported = await call(`/api/requests/export?format=csv&from=2000-01-01&area=${other.gridCode}`, gm);
	expect.soft(exported.status === 200 && !exported.text.includes(other.code) && exported.text.trim().split('\n').length === 1,
		`an export of another grid's requests holds none of them — HTTP ${exported.status}, ${exported.text.trim().split('\n').length - 1} data rows`).toBe(true);
});

test('path traversal: 4xx, no file', async () => {
	for (const p of ['/..%2f..%2f..%2fetc%2fpasswd', '/_app/..%2f..%2f..%2f..%2fetc%2fpasswd', '/static/../../etc/passwd', `/api/requests/${mine.id}/photo/..%2f..%2fetc%2fpasswd`]) {
		const r = await call(p, gm);
		expect.soft(r.status >= 400 && r.status < 500 && !r.text.includes('root:x:0:0'), `${p} → 4xx, no file — HTTP ${r.status}`).toBe(true);
	}
});

test('oversized and malformed bodies: 413 and named 400s', async () => {
	refused('a 10 MB JSON body → 413', await call('/api/requests', { ...gm, method: 'POST', body: JSON.stringify({ description: 'x'.repeat(10 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } }), 413);
	refused('a 2001-character description → 400 naming description', await call('/api/requests', { ...gm, method: 'POST', body: { categoryCode: 'x', description: '长'.repeat(2001), lon: mine.lon, lat: mine.lat } }), 400, (r) => r.json?.error?.field === 'description');
	refused('a body that is not JSON → 400', await call('/api/requests', { ...gm, method: 'POST', body: '{"description": ', headers: { 'content-type': 'application/json' } }), 400);
	refused('a JSON array body → 400', await call('/api/requests', { ...gm, method: 'POST', body: [1, 2] }), 400);
});

test('cross-site posts with the session cookie: 403', async () => {
	refused('a cross-site JSON POST with the session cookie → 403 csrf', await call('/api/requests', { ...gm, method: 'POST', body: { description: 'x' }, headers: { origin: 'https://evil.example' } }), 403, (r) => r.json?.error?.code === 'csrf');
	refused('a cross-site sign-out → 403', await call('/logout', { ...gm, method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: '' }), 403);
});

test('script injection: a request whose text is markup is accepted as text', async () => {
	const payload = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';
	const cats = await call('/api/requests?status=open&from=2000-01-01&limit=1', gm);
	const category = cats.json.rows[0]?.category ?? mine.category;
	filed = await call('/api/requests', { ...gm, method: 'POST', body: { categoryCode: category, title: payload.slice(0, 100), description: payload, lon: mine.lon, lat: mine.lat, reporterName: payload.slice(0, 50) } });
	expect(filed.status, `HTTP ${filed.status} ${filed.text.slice(0, 120)}`).toBe(201);
});

test('floods: the 61st report in 10 minutes is 429; ten wrong passwords lock the account', async () => {
	let flood;
	for (let i = 0; i < 61; i++) flood = await call('/api/requests', { ...gm2, method: 'POST', body: {} });
	refused('the 61st report in 10 minutes → 429 with Retry-After', flood, 429, (r) => Number(r.headers.get('retry-after')) > 0);
	let attempt;
	for (let i = 0; i < 11; i++) {
		attempt = await call('/login', { method: 'POST', body: new URLSearchParams({ username: 'mediator2', password: 'wrong-password-' + i }).toString(),
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE, accept: 'application/json', 'x-sveltekit-action': 'true' } });
	}
	expect.soft(attempt.text.includes('锁定') && !PII.test(attempt.text), `ten wrong passwords lock the account; the eleventh try says so — ${attempt.text.slice(0, 160)}`).toBe(true);
});

test('nothing else written, no answer a 5xx', async () => {
	const after = await totalOf();
	expect.soft(after, `exactly one request was written by this suite: ${before} → ${after}`).toBe(before + 1);
	const crashed = statuses.filter(([, , s]) => s >= 500);
	expect.soft(crashed.map((c) => c.join(' ')), `no answer was a 5xx (${statuses.length} answers)`).toEqual([]);
});

test('in the browser the markup shows as text and runs nothing, on the request page and in the list', async ({ browser }) => {
	const { context, page } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
	const dialogs = [];
	page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
	await page.goto(`${BASE}/login/demo?user=${'wg' + mine.gridCode}&redirect=/requests/${filed.json.id}`);
	await page.getByText('window.__xss=1').first().waitFor({ timeout: 15_000 });
	const xss = await page.evaluate(() => window.__xss);
	await page.screenshot({ path: `${OUT}/request-with-markup.png` });
	expect.soft(xss === undefined && dialogs.length === 0, `the markup shows as text on the request page and runs nothing — __xss=${xss}`).toBe(true);
	await page.goto(`${BASE}/requests?q=${encodeURIComponent('window.__xss')}&from=2000-01-01`);
	await page.waitForLoadState('networkidle');
	expect.soft(await page.evaluate(() => window.__xss), '…and in the request list').toBeUndefined();
	await context.close();
});
