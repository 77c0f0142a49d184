// Open standards against the running app, with the clients people really use: GDAL's ogrinfo
// (Debian gdal-bin, the OAPIF driver QGIS shares) reads every OGC API collection, anonymously
// and with an API key, and Open311 GeoReport v2 is driven over HTTP the way a client does it
// (a form-encoded POST from another origin). Without ogrinfo the cases are skipped with the
// reason, which `npm test` reports as NOT RUN. (was tests/e2e/ogc.e2e.mjs)
import { spawnSync } from 'node:child_process';
import { API_BASE } from '../support/browser.mjs';
import { BASE, expect, test } from './fixtures.mjs';

const ogrinfo = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
const NO_OGRINFO = ogrinfo.error || ogrinfo.status !== 0;
const NOT_RUN = 'ogrinfo not found — apt-get install --no-install-recommends gdal-bin (.ci/run installs it)';
test.describe.configure({ mode: 'serial' });
test.skip(NO_OGRINFO, NOT_RUN);

// ogrinfo resolves host names itself (not through tests/support/browser.mjs's rules): it takes the IP address
const OGC = `OAPIF:${API_BASE}/ogc`;

/** ogrinfo's stdout; `key` sends it as a bearer token the way QGIS/GDAL users configure it. */
function ogr(args, key) {
	const env = { ...process.env, CPL_DEBUG: 'OFF', ...(key ? { GDAL_HTTP_HEADERS: `Authorization: Bearer ${key}` } : {}) };
	const r = spawnSync('ogrinfo', ['-ro', ...args], { encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
	expect.soft(r.status, `ogrinfo ${args.join(' ')}: exit ${r.status}: ${r.stderr.slice(0, 500)}`).toBe(0);
	return r.stdout;
}
// undici may reuse a keep-alive socket that the server closed while ogrinfo ran (seconds idle):
// that is "fetch failed" before anything was sent, so a GET is retried (each pooled socket may be
// stale, hence a few times)
async function get(url, init) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await fetch(url, init);
		} catch (e) {
			if (attempt === 4) throw e;
		}
	}
}
const layers = (out) => [...out.matchAll(/^\d+: (\w+)/gm)].map((m) => m[1]);
const featureCount = (out) => Number(/^Feature Count: (\d+)/m.exec(out)?.[1] ?? NaN);

let key;
let services;
const json = async (path, withKey = true) => (await get(`${BASE}${path}`, { headers: withKey ? { authorization: `Bearer ${key}` } : {} })).json();

test('an admin session (demo sign-in) makes an API key, as an administrator would for a GIS desk', async () => {
	console.log(ogrinfo.stdout.trim());
	const login = await fetch(`${BASE}/login/demo?user=admin&redirect=/`, { redirect: 'manual' });
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
	expect(cookie, `the demo admin signs in: HTTP ${login.status}`).toMatch(/^gg_session=/);
	const made = await fetch(`${BASE}/api/api-keys`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'e2e ogrinfo' }) });
	({ key } = await made.json());
	expect(made.status === 201 && /^gg_/.test(key ?? ''), `an admin makes an API key: HTTP ${made.status}`).toBe(true);
});

test('OGC API – Features through GDAL: collections, counts, paging, bbox', async () => {
	const anonymous = layers(ogr(['-so', OGC]));
	expect.soft(anonymous, 'ogrinfo lists the public collections anonymously').toEqual(['grids', 'requests']);
	const keyed = layers(ogr(['-so', OGC], key));
	expect.soft(keyed, 'ogrinfo lists every collection with an API key').toEqual(['grids', 'hazards', 'requests']);
	for (const layer of keyed) {
		const out = ogr(['-al', '-so', OGC, layer], key);
		const matched = (await json(`/ogc/collections/${layer}/items?limit=1`)).numberMatched;
		expect.soft(featureCount(out) === matched && matched > 0, `ogrinfo reads ${layer}: feature count = numberMatched — ${featureCount(out)} vs ${matched}`).toBe(true);
	}
	// the key in the URL, the way QGIS 3.22 (no header method) and GDAL without GDAL_HTTP_HEADERS can send it
	const inUrl = `${OGC}?api_key=${key}`;
	expect.soft(layers(ogr(['-so', inUrl])), 'ogrinfo lists every collection with ?api_key= in the URL').toEqual(['grids', 'hazards', 'requests']);
	const hazardsInUrl = (ogr(['-al', '-q', inUrl, 'hazards']).match(/^OGRFeature\(/gm) ?? []).length;
	const hazardsMatched = (await json('/ogc/collections/hazards/items?limit=1')).numberMatched;
	expect.soft(hazardsInUrl, `…and pages through all hazards with it: ${hazardsInUrl} of ${hazardsMatched}`).toBe(hazardsMatched);
	// every feature, page after page through the next links
	for (const layer of ['grids', 'hazards']) {
		const all = ogr(['-al', '-q', OGC, layer], key);
		const read = (all.match(/^OGRFeature\(/gm) ?? []).length;
		const matched = (await json(`/ogc/collections/${layer}/items?limit=1`)).numberMatched;
		expect.soft(read, `ogrinfo pages through all of ${layer}: ${read} features read, ${matched} matched`).toBe(matched);
	}
	// a bbox from the district's own extent: GDAL's spatial filter becomes our bbox parameter
	const [[w, s, e, n]] = (await json('/ogc/collections/grids')).extent.spatial.bbox;
	const quarter = [w, s, w + (e - w) / 2, s + (n - s) / 2];
	const inBox = featureCount(ogr(['-al', '-so', '-spat', ...quarter.map(String), OGC, 'grids']));
	const byHttp = (await json(`/ogc/collections/grids/items?limit=1&bbox=${quarter.join(',')}`, false)).numberMatched;
	expect.soft(inBox === byHttp && inBox > 0, `ogrinfo -spat reads the grids in a bbox — ${inBox} vs ${byHttp}`).toBe(true);
	// bbox is an exact intersection: GDAL (GEOS) filters -spat exactly on its side too, so the two
	// agree also for the docs' example box, where comparing envelopes let in one grid more (119 vs 118)
	const docsBox = [112.93, 28.2, 112.97, 28.24];
	const exactByGdal = featureCount(ogr(['-al', '-so', '-spat', ...docsBox.map(String), OGC, 'grids']));
	const exactByHttp = (await json(`/ogc/collections/grids/items?limit=1&bbox=${docsBox.join(',')}`, false)).numberMatched;
	expect.soft(exactByGdal === exactByHttp && exactByHttp > 0, `the docs' bbox: ogrinfo -spat ${exactByGdal}, the API ${exactByHttp}`).toBe(true);
});

test('OGC API over HTTP: an item by id, a too-large limit, hazards without a key', async () => {
	const grid = await (await get(`${BASE}/ogc/collections/grids/items?limit=1`)).json();
	const one = await get(`${BASE}/ogc/collections/grids/items/${grid.features[0].id}`);
	expect.soft({ status: one.status, type: one.headers.get('content-type') }, 'an item by id answers as application/geo+json').toEqual({ status: 200, type: 'application/geo+json' });
	// Part 1: a limit above the maximum is capped, not refused; below 1 it is a 400 naming limit
	const capped = await get(`${BASE}/ogc/collections/grids/items?limit=100000`);
	const cappedBody = await capped.json();
	expect.soft({ status: capped.status, returned: cappedBody.numberReturned }, 'a too-large limit is capped to the maximum').toEqual({ status: 200, returned: cappedBody.numberMatched });
	const bad = await get(`${BASE}/ogc/collections/grids/items?limit=0`);
	expect.soft(bad.status, 'limit=0 is a 400 naming limit').toBe(400);
	expect.soft((await bad.json()).parameter).toBe('limit');
	const hidden = await get(`${BASE}/ogc/collections/hazards/items`);
	expect.soft(hidden.status, 'hazards without a key are 401').toBe(401);
});

test('Open311 GeoReport v2 as a client does it', async () => {
	services = await (await get(`${BASE}/open311/v2/services.json`)).json();
	expect(Array.isArray(services) && services.length > 5, `Open311 lists services: ${services.length} services`).toBe(true);
	const [sample] = await (await get(`${BASE}/open311/v2/requests.json?status=open&page_size=50`)).json().then((rows) => rows.filter((r) => r.address));
	const form = new URLSearchParams({ api_key: key, service_code: services[0].service_code, lat: String(sample.lat), long: String(sample.long), description: 'e2e：路灯不亮', first_name: '小明', last_name: '赵' });
	const posted = await fetch(`${BASE}/open311/v2/requests.json`, { method: 'POST', headers: { origin: 'https://some-open311-app.example' }, body: form });
	const receipt = await posted.json();
	expect(posted.status === 201 && /^SQ/.test(receipt[0]?.service_request_id ?? ''), `a cross-origin form POST with an api_key creates a request — HTTP ${posted.status} ${JSON.stringify(receipt)}`).toBe(true);
	const back = await (await get(`${BASE}/open311/v2/requests/${receipt[0]?.service_request_id}.json`)).json();
	expect.soft(back[0]?.status === 'open' && !JSON.stringify(back).includes('赵小明'), `the new request reads back open, without the reporter — ${JSON.stringify(back[0])}`).toBe(true);
	const xml = await (await get(`${BASE}/open311/v2/requests/${receipt[0]?.service_request_id}.xml`)).text();
	expect.soft(xml, 'and as XML').toContain(`<service_request_id>${receipt[0]?.service_request_id}</service_request_id>`);
	const nokey = await fetch(`${BASE}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ service_code: services[0].service_code, lat: '28.2', long: '113', description: 'x' }) });
	const nokeyBody = await nokey.json();
	expect.soft(nokey.status === 401 && nokeyBody[0]?.code === 401, `a POST without an api_key is 401 in Open311 error form — ${JSON.stringify(nokeyBody)}`).toBe(true);
	// discovery at the root and under v2, JSON and XML; a jurisdiction_id that is not ours is a 404 in GeoReport form
	for (const path of ['/open311/discovery.json', '/open311/v2/discovery.json']) {
		const d = await (await get(`${BASE}${path}`)).json();
		expect.soft({ spec: d.endpoints?.[0]?.specification, type: d.endpoints?.[0]?.type, url: d.endpoints?.[0]?.url, formats: d.endpoints?.[0]?.formats }, path)
			.toEqual({ spec: 'http://wiki.open311.org/GeoReport_v2', type: 'production', url: `${new URL(BASE).origin}/open311/v2`, formats: ['application/json', 'text/xml'] });
	}
	expect.soft(await (await get(`${BASE}/open311/discovery.xml`)).text(), 'discovery.xml').toMatch(/<discovery><changeset>.+<\/changeset>.*<endpoints><endpoint><specification>http:\/\/wiki\.open311\.org\/GeoReport_v2<\/specification>/);
	const nowhere = await get(`${BASE}/open311/v2/services.json?jurisdiction_id=city.gov`);
	const nowhereBody = await nowhere.json();
	expect.soft({ status: nowhere.status, code: nowhereBody[0]?.code, description: nowhereBody[0]?.description }, 'an unknown jurisdiction_id is a 404 in Chinese')
		.toEqual({ status: 404, code: 404, description: expect.stringMatching(/^jurisdiction_id: 未找到辖区/) });
	expect.soft(back[0]?.requested_datetime, 'times are Beijing time with +08:00').toMatch(/\+08:00$/);
	const csrf = await fetch(`${BASE}/logout`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
	expect.soft(csrf.status, 'other paths still refuse cross-site form POSTs').toBe(403);
});
