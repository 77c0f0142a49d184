// 巡查 on both back ends: a worker's patrol is recorded once per phone id, with its line, length and
// what the worker reported meanwhile; who may read it (the worker, their area's leaders, admins — not
// another worker, another area's leader or the big screen); and patrols past their keeping period go.
import { afterAll, expect, it } from 'vitest';
import { describeBackends } from './helpers/backends';
import { ensurePlace } from './helpers/fixtures';
import type { Db } from '../../src/lib/server/db/client';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { asUser } from '../../src/lib/server/access/userdb';
import { parsePatrol } from '../../src/lib/domain/patrol';
import { patrolsOf, patrolTrack, purgePatrols, recordPatrol } from '../../src/lib/server/patrols/patrols';

const user = (id: number, role: SessionUser['role']): SessionUser => ({ id, username: `u${id}`, displayName: `u${id}`, role, departmentId: null, title: null });
const worker = user(9301, 'grid_manager'), other = user(9302, 'grid_manager'), leader = user(9303, 'leader'), far = user(9304, 'leader'), admin = user(9305, 'admin'), screen = user(9306, 'screen');
const HOUR = 3600_000;
const start = new Date(Date.now() - 3 * HOUR);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const patrol = (n: number, at = start, fixes = 3) => parsePatrol({
	clientId: uuid(n), startedAt: at.toISOString(), endedAt: new Date(at.getTime() + HOUR).toISOString(),
	fixes: Array.from({ length: fixes }, (_, i) => ({ t: at.getTime() + i * 60_000, lon: 112.905, lat: 28.2 + i * 0.001, acc: 10 }))
});

async function fixture(db: Db) {
	const place = await ensurePlace(db, '990401');
	await db.exec(`
		INSERT INTO users (id, username, display_name, role, jurisdiction_code) VALUES
		  (9301, 'pa_w', '巡查员', 'grid_manager', NULL), (9302, 'pa_o', '另一网格员', 'grid_manager', NULL),
		  (9303, 'pa_l', '街道书记', 'leader', '990401001'), (9304, 'pa_f', '外区领导', 'leader', '990499'),
		  (9305, 'pa_a', '管理员', 'admin', NULL), (9306, 'pa_s', '大屏', 'screen', NULL);
		INSERT INTO user_grids (user_id, grid_code) VALUES (9301, '${place.grid}');
		INSERT INTO buildings (grid_code, name, kind, geom) VALUES ('${place.grid}', '巡查楼', 'apartment', ST_SetSRID(ST_MakePoint(112.905, 28.205), 4326));
		INSERT INTO households (building_id, grid_code, address, head_name, size, geom)
		  SELECT id, '${place.grid}', '巡查路 1 号', '张三', 2, ST_SetSRID(ST_MakePoint(112.905, 28.205), 4326) FROM buildings WHERE name = '巡查楼';`);
	// a door-knock during the patrol, one before it
	for (const at of [new Date(start.getTime() + 10 * 60_000), new Date(start.getTime() - HOUR)]) {
		await db.sql`INSERT INTO door_knocks (household_id, visitor_id, visited_at) SELECT id, 9301, ${at} FROM households WHERE address = '巡查路 1 号'`;
	}
}

describeBackends('patrols', (getDb) => {
	let id = 0;
	afterAll(() => { delete process.env.PATROL_KEEP_DAYS; });
	it('records a patrol with its line and length, and what the worker did meanwhile', async () => {
		await fixture(getDb());
		const p = await recordPatrol(asUser(getDb(), worker), 9301, patrol(1));
		id = p.id;
		expect(p).toMatchObject({ replayed: false, fixes: 3, knocks: 1, reports: 0, care_visits: 0 });
		expect(p.distance_m).toBeCloseTo(222.4, 0);
		const track = await patrolTrack(asUser(getDb(), worker), id);
		expect(track?.line).toEqual([[112.905, 28.2], [112.905, 28.201], [112.905, 28.202]]);
	});

	it('the same phone id again records nothing and answers with the first record; used for another patrol it is refused', async () => {
		const again = await recordPatrol(asUser(getDb(), worker), 9301, patrol(1));
		expect(again).toMatchObject({ id, replayed: true });
		await expect(recordPatrol(asUser(getDb(), worker), 9301, patrol(1, new Date(start.getTime() - HOUR)))).rejects.toThrow('巡查编号（clientId）已用于另一次巡查');
		expect((await getDb().sql`SELECT count(*)::int AS n FROM patrols WHERE user_id = 9301`)[0].n).toBe(1);
		// a patrol of one fix has no line and no length
		const single = await recordPatrol(asUser(getDb(), worker), 9301, patrol(2, new Date(start.getTime() - 2 * HOUR), 1));
		expect([single.fixes, single.distance_m, (await patrolTrack(getDb(), single.id))?.line]).toEqual([1, 0, []]);
	});

	it('is read by the worker, their area leader and admins only; nobody writes one in another name', async () => {
		const seen = async (u: SessionUser) => (await patrolsOf(asUser(getDb(), u), 9301, new Date(start.getTime() - 5 * HOUR), new Date())).total;
		expect(await seen(worker)).toBe(2);
		expect(await seen(leader)).toBe(2);
		expect(await seen(admin)).toBe(2);
		expect([await seen(other), await seen(far), await seen(screen)]).toEqual([0, 0, 0]);
		expect(await patrolTrack(asUser(getDb(), other), id)).toBeNull();
		await expect(recordPatrol(asUser(getDb(), other), 9301, patrol(3))).rejects.toThrow('只能记录本人的巡查');
		// and nobody changes or deletes one through the app's role
		expect(await asUser(getDb(), worker).sql`DELETE FROM patrols WHERE id = ${id} RETURNING id`.catch(() => 'refused')).not.toEqual([{ id }]);
		expect((await getDb().sql`SELECT count(*)::int AS n FROM patrols WHERE id = ${id}`)[0].n).toBe(1);
	});

	it('patrols past PATROL_KEEP_DAYS are deleted', async () => {
		process.env.PATROL_KEEP_DAYS = '1';
		const old = new Date(Date.now() - 3 * 86_400_000);
		await getDb().sql`INSERT INTO patrols (user_id, client_id, started_at, ended_at, fix_seconds, fix_accuracy, distance_m)
			VALUES (9301, ${uuid(9)}::uuid, ${old}, ${new Date(old.getTime() + HOUR)}, '{}', '{}', 0)`;
		expect(await purgePatrols(asUser(getDb(), worker))).toBe(1);
		expect((await getDb().sql`SELECT count(*)::int AS n FROM patrols WHERE user_id = 9301`)[0].n).toBe(2);
	});
});
