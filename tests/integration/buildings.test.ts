// Building tiles of the base map at street zoom (/api/map/buildings, issue 16) against a real
// database (PGlite always, PostgreSQL with TEST_DATABASE_URL): Mapbox Vector Tile bytes that
// MapLibre's own decoder reads, each building once with its household count, row-level security
// (a 网格员 gets their own grids' buildings, a department none), zoom below 15 refused, and the
// buildings version moving with a write.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/server/access/userdb';
import { buildingTile } from '../../src/lib/server/queries/buildingTiles';
import { mapCache } from '../../src/lib/server/queries/cache';
import { isCurrentFor, resetVersions, scopeTag, versions, viewerVersions } from '../../src/lib/server/queries/versions';
import { sendCached } from '../../src/lib/server/http/respond';
import { BUILDING_TILE_LAYER, latToY, lonToX, tilesCovering, type Tile } from '../../src/lib/domain/tiles';
import { GET as buildingGET } from '../../src/routes/api/map/buildings/[z]/[x]/[y]/+server';
import { describeBackends } from './helpers/backends';
import { FIX, insertMapFixture } from './map-api.fixture';

const PER_GRID = 12;

/** The tile at zoom z holding (lon, lat). */
const tileAt = (lon: number, lat: number, z: number): Tile => ({ z, x: Math.floor(lonToX(lon, z)), y: Math.floor(latToY(lat, z)) });

function decode(bytes: Uint8Array): Record<string, any>[] {
	const layer = new VectorTile(new PbfReader(bytes)).layers[BUILDING_TILE_LAYER];
	if (!layer) return [];
	return Array.from({ length: layer.length }, (_, i) => {
		const f = layer.feature(i);
		const [[pt]] = f.loadGeometry();
		return { id: f.id, type: f.type, extent: f.extent, x: pt.x, y: pt.y, ...f.properties };
	});
}

describeBackends('building tiles', (getDb) => {
	let grids: string[] = [];
	let buildings: { id: number; grid_code: string; lon: number; lat: number; name: string }[] = [];
	let users: Record<'admin' | 'manager' | 'department', number>;

	beforeAll(async () => {
		mapCache.clear();
		resetVersions();
		const db = getDb();
		grids = await insertMapFixture(db, PER_GRID);
		buildings = await db.sql`SELECT id, grid_code, ST_X(geom) AS lon, ST_Y(geom) AS lat, name FROM buildings ORDER BY id`;
		const stamp = `${Date.now()}${Math.random()}`;
		const [adm] = await db.sql`INSERT INTO users (username, display_name, role) VALUES (${'badm' + stamp}, '管理员', 'admin') RETURNING id`;
		const [gm] = await db.sql`INSERT INTO users (username, display_name, role) VALUES (${'bgm' + stamp}, '网格员', 'grid_manager') RETURNING id`;
		await db.sql`INSERT INTO user_grids (user_id, grid_code) VALUES (${gm.id}, ${grids[0]})`;
		const [dep] = await db.sql`INSERT INTO departments (code, name) VALUES (${'bd' + stamp}, '区城管局测试') RETURNING id`;
		const [ds] = await db.sql`INSERT INTO users (username, display_name, role, department_id) VALUES (${'bds' + stamp}, '部门', 'department_staff', ${dep.id}) RETURNING id`;
		users = { admin: adm.id, manager: gm.id, department: ds.id };
	});

	const as = (who: keyof typeof users) => {
		const role = { admin: 'admin', manager: 'grid_manager', department: 'department_staff' }[who];
		return asUser(getDb(), { id: users[who], role });
	};

	it('a z15 tile with a building is a vector tile MapLibre reads: name, kind, floors, households', async () => {
		const b = buildings.find((x) => x.grid_code === grids[0])!;
		const t = tileAt(b.lon, b.lat, 15);
		const { cached } = await buildingTile(as('admin'), t);
		expect(cached.type).toBe('application/vnd.mapbox-vector-tile');
		expect(cached.body.byteLength).toBeGreaterThan(20);
		const features = decode(cached.body);
		const f = features.find((x) => x.id === b.id)!;
		expect(f).toMatchObject({ type: 1, name: b.name, kind: 'apartment', floors: 6, households: PER_GRID });
		// the point sits where the building is: tile coordinates to within one step of 4096
		expect(Math.abs(f.x - (lonToX(b.lon, 15) - t.x) * f.extent)).toBeLessThanOrEqual(1);
		expect(Math.abs(f.y - (latToY(b.lat, 15) - t.y) * f.extent)).toBeLessThanOrEqual(1);
	});

	it('the z15 tiles over the district hold every building exactly once', async () => {
		const seen: number[] = [];
		for (const t of tilesCovering(FIX.bbox, 15, 400)) seen.push(...decode((await buildingTile(as('admin'), t)).cached.body).map((f) => f.id as number));
		expect(seen.sort((a, b) => a - b)).toEqual(buildings.map((b) => b.id));
	});

	it('row-level security: a 网格员 gets only their own grid\'s buildings, a department none', async () => {
		const mine = buildings.find((x) => x.grid_code === grids[0])!;
		const other = buildings.find((x) => x.grid_code === grids[1])!;
		for (const z of [15, 16]) {
			const own = decode((await buildingTile(as('manager'), tileAt(mine.lon, mine.lat, z))).cached.body);
			expect(own.map((f) => f.id)).toEqual([mine.id]);
			expect(own[0].households).toBe(PER_GRID);
			expect(decode((await buildingTile(as('manager'), tileAt(other.lon, other.lat, z))).cached.body)).toEqual([]);
			// the admin does see that building: the emptiness above is the policy, not the tile
			expect(decode((await buildingTile(as('admin'), tileAt(other.lon, other.lat, z))).cached.body).map((f) => f.id)).toEqual([other.id]);
			expect(decode((await buildingTile(as('department'), tileAt(mine.lon, mine.lat, z))).cached.body)).toEqual([]);
		}
	});

	it('viewers with different scopes get different URLs and ETags for the same tile', async () => {
		const b = buildings.find((x) => x.grid_code === grids[0])!;
		const t = tileAt(b.lon, b.lat, 16);
		const answer = async (who: 'admin' | 'manager', inm?: string) => {
			const db = as(who);
			const [{ cached, version }, tag, v] = await Promise.all([buildingTile(db, t), scopeTag(db), viewerVersions(db)]);
			return sendCached(new Request('http://t', { headers: inm ? { 'if-none-match': inm } : {} }), cached, isCurrentFor(v.buildings, version, tag), tag);
		};
		const a = await answer('admin');
		const m = await answer('manager');
		expect(a.headers.get('cache-control')).toBe('private, max-age=86400, immutable');
		expect(a.headers.get('etag')).not.toBe(m.headers.get('etag'));
		expect((await answer('manager', a.headers.get('etag')!)).status).toBe(200);
		expect((await answer('manager', m.headers.get('etag')!)).status).toBe(304);
		expect((await viewerVersions(as('admin'))).buildings).not.toBe((await viewerVersions(as('manager'))).buildings);
	});

	it('a new building or household changes the buildings version', async () => {
		const db = getDb();
		resetVersions();
		const before = (await versions(db)).buildings;
		const [b] = await db.sql`INSERT INTO buildings (grid_code, name, kind, floors, geom)
			VALUES (${grids[2]}, '新建2栋', 'apartment', 11, ST_SetSRID(ST_MakePoint(${FIX.bbox[0] + 0.03}, ${FIX.bbox[1] + 0.06}), 4326)) RETURNING id`;
		resetVersions();
		const afterBuilding = (await versions(db)).buildings;
		expect(afterBuilding).not.toBe(before);
		await db.sql`INSERT INTO households (building_id, grid_code, address, head_name, size, geom)
			SELECT ${b.id}, ${grids[2]}, '新建2栋101室', '李四', 2, geom FROM buildings WHERE id = ${b.id}`;
		resetVersions();
		expect((await versions(db)).buildings).not.toBe(afterBuilding);
		await db.sql`DELETE FROM households WHERE building_id = ${b.id}`;
		await db.sql`DELETE FROM buildings WHERE id = ${b.id}`;
	});
});

describe('building tiles over http', () => {
	const event = (params: Record<string, string>) => ({ params, url: new URL('http://t/x'), request: new Request('http://t/x') }) as any;

	it('below street zoom (z12, z14) or above 16 a building tile is a 400 naming z', async () => {
		for (const z of ['12', '14', '17']) {
			const res = await buildingGET(event({ z, x: '0', y: '0' }));
			expect(res.status).toBe(400);
			expect((await res.json()).error).toMatchObject({ code: 'invalid_param', field: 'z' });
		}
	});

	it('a column outside the zoom level is a 400 naming x', async () => {
		const res = await buildingGET(event({ z: '15', x: String(2 ** 15), y: '0' }));
		expect([res.status, (await res.json()).error.field]).toEqual([400, 'x']);
	});
});
