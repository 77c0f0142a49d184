// The map API's queries against a real database (PGlite always, PostgreSQL with
// TEST_DATABASE_URL): binary point tiles, grid measures, GeoJSON documents, masked details, and
// the endpoints' 400 answers for bad parameters.
import { isOverdue } from '../../src/lib/domain/deadlines';
import { OPEN_STATUSES } from '../../src/lib/domain/workflow';
import { asUser } from '../../src/lib/server/access/userdb';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeBackends } from './helpers/backends';
import { FIX, insertMapFixture } from './map-api.fixture';
import { decodePoints } from '../../src/lib/domain/pointcodec';
import { unpackHousehold, unpackRequest } from '../../src/lib/domain/pointattrs';
import { tileBBox, tilesCovering, POINT_TILE_ZOOM } from '../../src/lib/domain/tiles';
import { pointTile } from '../../src/lib/server/queries/pointTiles';
import { gridStats, gridsGeojson } from '../../src/lib/server/queries/grids';
import { basemapGeojson } from '../../src/lib/server/queries/basemap';
import { areaList } from '../../src/lib/server/queries/areas';
import { featureDetail } from '../../src/lib/server/queries/details';
import { mapCache, makeCached } from '../../src/lib/server/queries/cache';
import { isCurrentFor, resetVersions, scopeTag, versions, viewerVersions } from '../../src/lib/server/queries/versions';
import { sendCached } from '../../src/lib/server/http/respond';
import { GET as tileGET } from '../../src/routes/api/map/tiles/[layer]/[z]/[x]/[y]/+server';
import { GET as statsGET } from '../../src/routes/api/map/grid-stats/+server';

const PER_GRID = 20;
const json = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body));

describeBackends('map api queries', (getDb) => {
	let grids: string[] = [];
	beforeAll(async () => {
		mapCache.clear();
		resetVersions();
		grids = await insertMapFixture(getDb(), PER_GRID);
	});

	const allTiles = () => tilesCovering(FIX.bbox, POINT_TILE_ZOOM);

	it('household tiles hold every household exactly once, inside their tile', async () => {
		let total = 0;
		for (const t of allTiles()) {
			const { cached } = await pointTile(getDb(), 'households', t);
			const d = decodePoints(cached.body);
			const [w, s, e, n] = tileBBox(t);
			for (let i = 0; i < d.count; i++) {
				const [lon, lat] = [d.positions[2 * i], d.positions[2 * i + 1]];
				expect(lon >= w && lon <= e && lat >= s && lat <= n).toBe(true);
			}
			expect(new Set(cached.meta.ids).size).toBe(d.count);
			total += d.count;
		}
		expect(total).toBe(grids.length * PER_GRID);
	});

	it('household attribute bytes carry the vulnerable tags', async () => {
		const [{ n }] = await getDb().sql`SELECT count(*)::int AS n FROM households WHERE cardinality(tags) > 0`;
		let vulnerable = 0;
		for (const t of allTiles()) {
			const d = decodePoints((await pointTile(getDb(), 'households', t)).cached.body);
			for (const a of d.attrs) if (unpackHousehold(a).vulnerable) vulnerable++;
		}
		expect(vulnerable).toBe(n);
	});

	/** Open and overdue requests counted in JavaScript by domain/deadlines.ts, to check the SQL against. */
	async function overdueByTheDomain() {
		const rows = await getDb().sql<{ status: string; a: Date | null; r: Date | null }>`SELECT status, accept_deadline AS a, resolve_deadline AS r FROM requests`;
		const now = new Date();
		const open = rows.filter((x) => (OPEN_STATUSES as readonly string[]).includes(x.status));
		return { open: open.length, overdue: open.filter((x) => isOverdue({ status: x.status, acceptDeadline: x.a && new Date(x.a), resolveDeadline: x.r && new Date(x.r) }, now)).length };
	}

	it('request tiles hold only open requests, flagged overdue from now()', async () => {
		const want = await overdueByTheDomain();
		let open = 0;
		let overdue = 0;
		for (const t of allTiles()) {
			const d = decodePoints((await pointTile(getDb(), 'requests', t)).cached.body);
			open += d.count;
			for (const a of d.attrs) if (unpackRequest(a).overdue) overdue++;
		}
		expect({ open, overdue }).toEqual(want);
		expect(overdue).toBeGreaterThan(0);
	});

	it('hazard tiles leave out verified hazards', async () => {
		const [{ n }] = await getDb().sql`SELECT count(*)::int AS n FROM hazards WHERE status <> 'verified'`;
		let count = 0;
		for (const t of allTiles()) count += decodePoints((await pointTile(getDb(), 'hazards', t)).cached.body).count;
		expect(count).toBe(n);
	});

	it('grid stats compute each measure from counts', async () => {
		const cov = (await gridStats(getDb(), 'coverage')).meta;
		const g = cov.grids[0];
		expect(cov.grids.length).toBe(grids.length);
		expect(g.households).toBe(PER_GRID);
		expect(g.value).toBe(Math.round((1000 * g.visited90) / g.households) / 10);
		const over = (await gridStats(getDb(), 'overdue')).meta;
		expect(over.grids.reduce((s, x) => s + (x.value ?? 0), 0)).toBe((await overdueByTheDomain()).overdue);
		expect(over.legend.classes[0].label).toBe('0');
	});

	it('a grid manager’s grid stats count households in the own grid only (the household rollup is read under row-level security)', async () => {
		const db = getDb();
		const [gm] = await db.sql`INSERT INTO users (username, display_name, role) VALUES (${'gm' + Date.now() + Math.random()}, '网格员', 'grid_manager') RETURNING id`;
		await db.sql`INSERT INTO user_grids (user_id, grid_code) VALUES (${gm.id}, ${grids[1]})`;
		const stats = (await gridStats(asUser(db, { id: gm.id, role: 'grid_manager' }), 'coverage')).meta;
		const own = stats.grids.find((g) => g.code === grids[1])!;
		expect(own.households).toBe(PER_GRID);
		expect(own.value).not.toBeNull();
		const others = stats.grids.filter((g) => g.code !== grids[1]);
		expect(others.length).toBe(grids.length - 1);
		for (const g of others) expect([g.code, g.households, g.visited90, g.value]).toEqual([g.code, 0, 0, null]);
	});

	it('grid and base-map GeoJSON documents', async () => {
		const doc = json((await gridsGeojson(getDb())).body);
		expect(doc.features.length).toBe(grids.length);
		expect(doc.features[0].properties).toMatchObject({ code: grids[0], community: grids[0].slice(0, 12) });
		const base = json((await basemapGeojson(getDb())).body);
		const kinds = new Set(base.features.map((f: any) => f.properties.kind));
		expect([...kinds].sort()).toEqual(
			['community', 'district', 'label_community', 'label_street', 'land', 'park', 'place', 'river', 'road_arterial', 'road_local', 'street', 'water'].sort()
		);
	});

	it('areas come with their bounding boxes', async () => {
		const district = (await areaList(getDb())).find((a) => a.level === 'district');
		expect(district?.bbox).toEqual(FIX.bbox);
	});

	it('a (tile, index) pair names the household drawn at that position', async () => {
		const t = allTiles()[0];
		const { cached } = await pointTile(getDb(), 'households', t);
		const d = decodePoints(cached.body);
		const i = Math.floor(d.count / 2);
		const [row] = await getDb().sql`SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM households WHERE id = ${cached.meta.ids[i]}`;
		expect(Math.abs(row.x - d.positions[2 * i]) + Math.abs(row.y - d.positions[2 * i + 1])).toBeLessThan(1e-5);
	});

	it('household details are masked', async () => {
		const [{ id }] = await getDb().sql`SELECT min(id)::int AS id FROM households`;
		// masking is the database's (pii_household, 0007), for the user asking: here an admin
		const [admin] = await getDb().sql`INSERT INTO users (username, display_name, role) VALUES (${'adm' + Date.now() + Math.random()}, '管理员', 'admin') RETURNING id`;
		const d = (await featureDetail(asUser(getDb(), { id: admin.id, role: 'admin' }), 'households', id)) as any;
		expect([d.name, d.phone, d.idNumber]).toEqual(['张*华', '138****1234', '4301**********123X']);
		expect(JSON.stringify(d)).not.toContain('13812341234');
	});

	it('two viewers with different scopes get different tile URLs and ETags; neither gets the other a 304', async () => {
		const db = getDb();
		const [adm] = await db.sql`INSERT INTO users (username, display_name, role) VALUES (${'adm' + Date.now() + Math.random()}, '管理员', 'admin') RETURNING id`;
		const [gm] = await db.sql`INSERT INTO users (username, display_name, role) VALUES (${'gm' + Date.now() + Math.random()}, '网格员', 'grid_manager') RETURNING id`;
		await db.sql`INSERT INTO user_grids (user_id, grid_code) VALUES (${gm.id}, ${grids[0]})`;
		const admin = asUser(db, { id: adm.id, role: 'admin' });
		const manager = asUser(db, { id: gm.id, role: 'grid_manager' });
		const [va, vm] = [await viewerVersions(admin), await viewerVersions(manager)];
		expect(va.households).not.toBe(vm.households); // the ?v= in every tile URL differs
		const t = allTiles().find(() => true)!;
		const tileOf = async (who: typeof admin, v: string, inm?: string) => {
			const { cached, version } = await pointTile(who, 'households', t);
			const tag = await scopeTag(who);
			return { res: sendCached(new Request('http://t', { headers: inm ? { 'if-none-match': inm } : {} }), cached, isCurrentFor(v, version, tag), tag), count: cached.meta.count };
		};
		const a = await tileOf(admin, va.households);
		const m = await tileOf(manager, vm.households);
		expect(a.count).toBeGreaterThan(m.count); // the admin sees more: a shared cache entry would leak
		expect(a.res.headers.get('cache-control')).toBe('private, max-age=86400, immutable');
		expect(a.res.headers.get('vary')).toContain('cookie');
		expect(a.res.headers.get('etag')).not.toBe(m.res.headers.get('etag'));
		// the manager's browser replays the admin's ETag (or URL): a full answer, not immutable
		const replay = await tileOf(manager, va.households, a.res.headers.get('etag')!);
		expect(replay.res.status).toBe(200);
		expect(replay.res.headers.get('cache-control')).toBe('private, no-cache');
		expect((await tileOf(manager, vm.households, m.res.headers.get('etag')!)).res.status).toBe(304);
		// a second admin shares the admin's scope: the same URL serves both
		const [adm2] = await db.sql`INSERT INTO users (username, display_name, role) VALUES (${'adm' + Date.now() + Math.random()}, '管理员', 'admin') RETURNING id`;
		expect((await viewerVersions(asUser(db, { id: adm2.id, role: 'admin' }))).households).toBe(va.households);
	});

	it('a write changes the data version', async () => {
		resetVersions();
		const before = await versions(getDb());
		await getDb().sql`INSERT INTO requests (code, category_code, channel, status, title, grid_code, reported_at, resolve_deadline, geom)
			SELECT 'SQNEW1', category_code, channel, 'reported', '新上报', grid_code, now(), now() + interval '7 days', geom
			FROM requests ORDER BY id LIMIT 1`;
		resetVersions();
		const after = await versions(getDb());
		expect(after.requests).not.toBe(before.requests);
		expect(after.households).toBe(before.households);
	});

	it('an update that adds no row changes the version too (the write counters of 0009_scale.sql)', async () => {
		resetVersions();
		const before = await versions(getDb());
		await getDb().sql`UPDATE hazards SET status = status WHERE id = (SELECT min(id) FROM hazards)`;
		resetVersions();
		const after = await versions(getDb());
		expect(after.hazards).not.toBe(before.hazards);
		expect(after.requests).toBe(before.requests);
		expect(after.households).toBe(before.households);
	});
});

describe('map api http', () => {
	const event = (params: Record<string, string>, query = '') =>
		({ params, url: new URL(`http://t/x${query}`), request: new Request('http://t/x') }) as any;

	it('a tile zoom out of range is a 400 naming z', async () => {
		const res = await tileGET(event({ layer: 'households', z: '25', x: '0', y: '0' }));
		expect(res.status).toBe(400);
		expect((await res.json()).error).toMatchObject({ code: 'invalid_param', field: 'z' });
	});

	it('an unknown layer or measure is a 400 naming it', async () => {
		expect((await (await tileGET(event({ layer: 'people', z: '12', x: '0', y: '0' }))).json()).error.field).toBe('layer');
		const res = await statsGET(event({}, '?measure=happiness'));
		expect([res.status, (await res.json()).error.field]).toEqual([400, 'measure']);
	});

	it('cached bodies: gzip on request, 304 on a matching ETag, long caching only when versioned', () => {
		const c = makeCached('{"a":"' + 'x'.repeat(2000) + '"}', 'application/json', null);
		const gz = sendCached(new Request('http://t', { headers: { 'accept-encoding': 'gzip, br' } }), c, true, 'tagA');
		expect([gz.headers.get('content-encoding'), gz.headers.get('cache-control')]).toEqual(['gzip', 'private, max-age=86400, immutable']);
		expect(gz.headers.get('vary')).toContain('cookie');
		const etag = gz.headers.get('etag')!;
		const again = sendCached(new Request('http://t', { headers: { 'if-none-match': etag } }), c, false, 'tagA');
		expect([again.status, again.headers.get('cache-control')]).toEqual([304, 'private, no-cache']);
		// the same bytes for another scope: not a 304 on the first user's ETag
		expect(sendCached(new Request('http://t', { headers: { 'if-none-match': etag } }), c, false, 'tagB').status).toBe(200);
	});
});

describe('data versions', () => {
	it('a new time bucket keeps the rows, a new fingerprint does not', async () => {
		const { sameRows } = await import('../../src/lib/server/queries/versions');
		expect([sameRows('abc-k1', 'abc-k2'), sameRows('abc-k1', 'abd-k1'), sameRows('abc', 'abc')]).toEqual([true, false, true]);
	});
});
