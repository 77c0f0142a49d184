// Open standards against the running app, with the clients people really use: GDAL's ogrinfo
// (Debian gdal-bin, the OAPIF driver QGIS shares) reads every OGC API collection, anonymously
// and with an API key, and Open311 GeoReport v2 is driven over HTTP the way a client does it
// (a form-encoded POST from another origin). Without ogrinfo it says NOT RUN and exits 77.
//   BASE_URL=http://grid.intranet:3123 node tests/e2e/ogc.e2e.mjs
import { spawnSync } from 'node:child_process';
import { API_BASE, BASE, createChecks, waitReady } from './harness.mjs';

const ogrinfo = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
if (ogrinfo.error || ogrinfo.status !== 0) {
	console.log('NOT RUN: ogrinfo not found — apt-get install --no-install-recommends gdal-bin (.ci/run installs it)');
	process.exit(77);
}
console.log(ogrinfo.stdout.trim());

const { check, fail, finish } = createChecks('ogc');
// ogrinfo resolves host names itself (not through harness.mjs's rules): it takes the IP address
const OGC = `OAPIF:${API_BASE}/ogc`;

/** ogrinfo's stdout; `key` sends it as a bearer token the way QGIS/GDAL users configure it. */
function ogr(args, key) {
	const env = { ...process.env, CPL_DEBUG: 'OFF', ...(key ? { GDAL_HTTP_HEADERS: `Authorization: Bearer ${key}` } : {}) };
	const r = spawnSync('ogrinfo', ['-ro', ...args], { encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
	if (r.status !== 0) fail(`ogrinfo ${args.join(' ')}`, `exit ${r.status}: ${r.stderr.slice(0, 500)}`);
	return r.stdout;
}
// undici may reuse a keep-alive socket that the server closed while ogrinfo ran (seconds idle):
// that is "fetch failed" before anything was sent, so a GET is retried once
async function get(url, init) {
	try {
		return await fetch(url, init);
	} catch {
		return fetch(url, init);
	}
}
const layers = (out) => [...out.matchAll(/^\d+: (\w+)/gm)].map((m) => m[1]);
const featureCount = (out) => Number(/^Feature Count: (\d+)/m.exec(out)?.[1] ?? NaN);

try {
	await waitReady(300);

	// an admin session (demo sign-in) makes an API key, as an administrator would for a GIS desk
	const login = await fetch(`${BASE}/login/demo?user=admin&redirect=/`, { redirect: 'manual' });
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
	check('the demo admin signs in', cookie.startsWith('gg_session='), `HTTP ${login.status}`);
	const made = await fetch(`${BASE}/api/api-keys`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'e2e ogrinfo' }) });
	const { key } = await made.json();
	check('an admin makes an API key', made.status === 201 && /^gg_/.test(key ?? ''), `HTTP ${made.status}`);
	const json = async (path, withKey = true) => (await get(`${BASE}${path}`, { headers: withKey ? { authorization: `Bearer ${key}` } : {} })).json();

	// ── OGC API – Features through GDAL ──
	const anonymous = layers(ogr(['-so', OGC]));
	check('ogrinfo lists the public collections anonymously', JSON.stringify(anonymous) === '["grids","requests"]', anonymous.join(', '));
	const keyed = layers(ogr(['-so', OGC], key));
	check('ogrinfo lists every collection with an API key', JSON.stringify(keyed) === '["grids","hazards","requests"]', keyed.join(', '));
	for (const layer of keyed) {
		const out = ogr(['-al', '-so', OGC, layer], key);
		const matched = (await json(`/ogc/collections/${layer}/items?limit=1`)).numberMatched;
		check(`ogrinfo reads ${layer}: feature count = numberMatched`, featureCount(out) === matched && matched > 0, `${featureCount(out)} vs ${matched}`);
	}
	// every feature, page after page through the next links
	for (const layer of ['grids', 'hazards']) {
		const all = ogr(['-al', '-q', OGC, layer], key);
		const read = (all.match(/^OGRFeature\(/gm) ?? []).length;
		const matched = (await json(`/ogc/collections/${layer}/items?limit=1`)).numberMatched;
		check(`ogrinfo pages through all of ${layer}`, read === matched, `${read} features read, ${matched} matched`);
	}
	// a bbox from the district's own extent: GDAL's spatial filter becomes our bbox parameter
	const [[w, s, e, n]] = (await json('/ogc/collections/grids')).extent.spatial.bbox;
	const quarter = [w, s, w + (e - w) / 2, s + (n - s) / 2];
	const inBox = featureCount(ogr(['-al', '-so', '-spat', ...quarter.map(String), OGC, 'grids']));
	const byHttp = (await json(`/ogc/collections/grids/items?limit=1&bbox=${quarter.join(',')}`, false)).numberMatched;
	check('ogrinfo -spat reads the grids in a bbox', inBox === byHttp && inBox > 0, `${inBox} vs ${byHttp}`);
	const grid = await (await get(`${BASE}/ogc/collections/grids/items?limit=1`)).json();
	const one = await get(`${BASE}/ogc/collections/grids/items/${grid.features[0].id}`);
	check('an item by id answers as application/geo+json', one.status === 200 && one.headers.get('content-type') === 'application/geo+json', `${one.status} ${one.headers.get('content-type')}`);
	const bad = await get(`${BASE}/ogc/collections/grids/items?limit=100000`);
	check('a too-large limit is a 400 naming limit', bad.status === 400 && (await bad.json()).parameter === 'limit', `HTTP ${bad.status}`);
	const hidden = await get(`${BASE}/ogc/collections/hazards/items`);
	check('hazards without a key are 401', hidden.status === 401, `HTTP ${hidden.status}`);

	// ── Open311 GeoReport v2 as a client does it ──
	const services = await (await get(`${BASE}/open311/v2/services.json`)).json();
	check('Open311 lists services', Array.isArray(services) && services.length > 5, `${services.length} services`);
	const [sample] = await (await get(`${BASE}/open311/v2/requests.json?status=open&page_size=50`)).json().then((rows) => rows.filter((r) => r.address));
	const form = new URLSearchParams({ api_key: key, service_code: services[0].service_code, lat: String(sample.lat), long: String(sample.long), description: 'e2e：路灯不亮', first_name: '小明', last_name: '赵' });
	const posted = await fetch(`${BASE}/open311/v2/requests.json`, { method: 'POST', headers: { origin: 'https://some-open311-app.example' }, body: form });
	const receipt = await posted.json();
	check('a cross-origin form POST with an api_key creates a request', posted.status === 201 && /^SQ/.test(receipt[0]?.service_request_id ?? ''), `HTTP ${posted.status} ${JSON.stringify(receipt)}`);
	const back = await (await get(`${BASE}/open311/v2/requests/${receipt[0]?.service_request_id}.json`)).json();
	check('the new request reads back open, without the reporter', back[0]?.status === 'open' && !JSON.stringify(back).includes('赵小明'), JSON.stringify(back[0]));
	const xml = await (await get(`${BASE}/open311/v2/requests/${receipt[0]?.service_request_id}.xml`)).text();
	check('and as XML', xml.includes(`<service_request_id>${receipt[0]?.service_request_id}</service_request_id>`), xml.slice(0, 120));
	const nokey = await fetch(`${BASE}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ service_code: services[0].service_code, lat: '28.2', long: '113', description: 'x' }) });
	const nokeyBody = await nokey.json();
	check('a POST without an api_key is 401 in Open311 error form', nokey.status === 401 && nokeyBody[0]?.code === 401, JSON.stringify(nokeyBody));
	const csrf = await fetch(`${BASE}/logout`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
	check('other paths still refuse cross-site form POSTs', csrf.status === 403, `HTTP ${csrf.status}`);
} catch (e) {
	fail('ogc e2e ran to the end', e.stack || e.message);
}
finish();
