// The map's per-grid aggregates below street zoom (GET /api/map/aggregates) on the small map
// fixture, both back ends: every count equals a direct count of the rows, the endpoint answers
// with an ETag and 304, and a grid worker or a street leader gets only their own grids.
import { beforeAll, expect, it } from 'vitest';
import { describeBackends } from './helpers/backends';
import { FIX, insertMapFixture } from './map-api.fixture';
import { asUser } from '../../src/lib/server/access/userdb';
import { gridAggregates } from '../../src/lib/server/queries/aggregates';
import { aggregateTotals, type AggregatesDoc } from '../../src/lib/domain/aggregates';
import { mapCache } from '../../src/lib/server/queries/cache';
import { resetVersions, scopeTag } from '../../src/lib/server/queries/versions';
import { sendCached } from '../../src/lib/server/http/respond';
import { OPEN_STATUSES } from '../../src/lib/domain/workflow';
import { HAZARD_NOT_CLOSED } from '../../src/lib/domain/hazard';

const PER_GRID = 12;

describeBackends('map aggregates below street zoom', (getDb) => {
	let grids: string[] = [];
	const users: Record<'admin' | 'worker' | 'street', number> = { admin: 0, worker: 0, street: 0 };
	beforeAll(async () => {
		mapCache.clear();
		resetVersions();
		const db = getDb();
		grids = await insertMapFixture(db, PER_GRID);
		// one more household in the first grid, so grids differ
		await db.sql`INSERT INTO households (building_id, grid_code, address, head_name, size, geom)
			SELECT building_id, grid_code, '演示路99号', '李四', 2, geom FROM households WHERE grid_code = ${grids[0]} LIMIT 1`;
		const add = async (role: string, jurisdiction: string | null) =>
			(await db.sql<{ id: number }>`INSERT INTO users (username, display_name, role, jurisdiction_code)
				VALUES (${role + Math.random()}, '测试', ${role}, ${jurisdiction}) RETURNING id`)[0].id;
		users.admin = await add('admin', null);
		users.worker = await add('grid_manager', null);
		await db.sql`INSERT INTO user_grids (user_id, grid_code) VALUES (${users.worker}, ${grids[5]})`;
		users.street = await add('leader', `${FIX.district}002`);
	});

	const docFor = async (who: keyof typeof users) => (await gridAggregates(asUser(getDb(), { id: users[who], role: who === 'admin' ? 'admin' : who === 'worker' ? 'grid_manager' : 'leader' }))).meta as AggregatesDoc;

	it('every grid with its counts, each equal to a direct count of the rows', async () => {
		const doc = await docFor('admin');
		expect(doc.grids.map((g) => g.code)).toEqual(grids);
		const direct = await getDb().sql<{ code: string; households: number; requests: number; hazards: number }>`
			SELECT g.code,
				(SELECT count(*)::int FROM households h WHERE h.grid_code = g.code) AS households,
				(SELECT count(*)::int FROM requests r WHERE r.grid_code = g.code AND r.status = ANY (${[...OPEN_STATUSES]})) AS requests,
				(SELECT count(*)::int FROM hazards z WHERE z.grid_code = g.code AND z.status = ANY (${[...HAZARD_NOT_CLOSED]})) AS hazards
			FROM grids g ORDER BY g.code`;
		expect(doc.grids.map(({ code, households, requests, hazards }) => ({ code, households, requests, hazards }))).toEqual(direct);
		expect(doc.grids[0].households).toBe(PER_GRID + 1);
		expect(aggregateTotals(doc.grids).hazards).toBeGreaterThan(0);
		expect(doc.grids.every((g) => g.overdue <= g.requests)).toBe(true);
		expect(doc.grids.reduce((n, g) => n + g.overdue, 0)).toBeGreaterThan(0);
		// the point drawn is inside its grid
		const [{ inside }] = await getDb().sql<{ inside: number }>`SELECT count(*)::int AS inside FROM grids g, json_to_recordset(${JSON.stringify(doc.grids)}::json) AS d(code text, lon float8, lat float8)
			WHERE g.code = d.code AND ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint(d.lon, d.lat), 4326))`;
		expect(inside).toBe(grids.length);
	});

	it('a grid worker gets only their grid, a street leader only the grids of their street', async () => {
		const worker = await docFor('worker');
		expect(worker.grids.map((g) => g.code)).toEqual([grids[5]]);
		expect(worker.grids[0].households).toBe(PER_GRID);
		const street = await docFor('street');
		const mine = grids.filter((c) => c.startsWith(`${FIX.district}002`));
		expect(street.grids.map((g) => g.code)).toEqual(mine);
		expect(aggregateTotals(street.grids).households).toBe(mine.length * PER_GRID);
	});

	it('answers with an ETag and 304 on a revalidation, per viewer', async () => {
		const db = asUser(getDb(), { id: users.worker, role: 'grid_manager' });
		const [doc, tag] = [await gridAggregates(db), await scopeTag(db)];
		const first = sendCached(new Request('http://t'), doc, false, tag);
		expect(first.status).toBe(200);
		const etag = first.headers.get('etag')!;
		expect(etag).toBeTruthy();
		expect(sendCached(new Request('http://t', { headers: { 'if-none-match': etag } }), doc, false, tag).status).toBe(304);
		const admin = asUser(getDb(), { id: users.admin, role: 'admin' });
		const other = sendCached(new Request('http://t'), await gridAggregates(admin), false, await scopeTag(admin));
		expect(other.headers.get('etag')).not.toBe(etag);
	});
});
