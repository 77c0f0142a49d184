// 包联 managed: leaders and admins add, change and end pairings (row-level security decides whose),
// each audited; a project's or an enterprise's open items are those within PAIRING_RADIUS_M.
import { expect, it } from 'vitest';
import { describeBackends } from './helpers/backends';
import type { Db } from '../../src/lib/server/db/client';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { asUser } from '../../src/lib/server/access/userdb';
import { parseEnd, parsePairing, PAIRING_RADIUS_M } from '../../src/lib/domain/pairing';
import { changePairing, createPairing, endPairing, leaderPairings } from '../../src/lib/server/visits/pairings';

const box = (x0: number, x1: number) => `MULTIPOLYGON(((${x0} 28.2, ${x1} 28.2, ${x1} 28.25, ${x0} 28.25, ${x0} 28.2)))`;
async function fixture(db: Db) {
	await db.exec(`
		INSERT INTO areas (code, level, name, parent_code, setting, geom, label_point) VALUES
		  ('990201', 'district', '包联区', NULL, 'urban', ST_GeomFromText('${box(112.9, 113)}', 4326), ST_SetSRID(ST_MakePoint(112.95, 28.22), 4326)),
		  ('990201001', 'street', '包联街道', '990201', 'urban', ST_GeomFromText('${box(112.9, 113)}', 4326), ST_SetSRID(ST_MakePoint(112.95, 28.22), 4326)),
		  ('990201001001', 'community', '和谐社区', '990201001', 'urban', ST_GeomFromText('${box(112.9, 113)}', 4326), ST_SetSRID(ST_MakePoint(112.95, 28.22), 4326));
		INSERT INTO grids (code, community_code, name, geom, label_point) VALUES
		  ('990201001001001', '990201001001', '第一网格', ST_GeomFromText('${box(112.9, 113)}', 4326), ST_SetSRID(ST_MakePoint(112.95, 28.22), 4326));
		INSERT INTO users (id, username, display_name, role, jurisdiction_code) VALUES (9101, 'pr_leader', '钱书记', 'leader', '990201'), (9102, 'pr_admin', '管理员', 'admin', NULL),
		  (9103, 'pr_leader2', '孙区长', 'leader', '990201'), (9104, 'pr_grid', '周网格', 'grid_manager', NULL);
		INSERT INTO categories (code, name) VALUES ('pr', '测试大类');
		INSERT INTO categories (code, parent_code, name) VALUES ('pr.a', 'pr', '测试小类');
		-- one open request 150 m east of the enterprise (112.95, 28.22), one 1 km east
		INSERT INTO requests (code, category_code, channel, status, title, grid_code, reported_at, geom) VALUES
		  ('PR-NEAR', 'pr.a', 'hotline_12345', 'reported', '近处', '990201001001001', now(), ST_SetSRID(ST_MakePoint(112.95 + 150 / 98000.0, 28.22), 4326)),
		  ('PR-FAR', 'pr.a', 'hotline_12345', 'reported', '远处', '990201001001001', now(), ST_SetSRID(ST_MakePoint(112.95 + 1000 / 98000.0, 28.22), 4326));`);
}
const user = (id: number, role: SessionUser['role']): SessionUser => ({ id, username: `u${id}`, displayName: `u${id}`, role, departmentId: null, title: null });
const leader = user(9101, 'leader'), admin = user(9102, 'admin'), other = user(9103, 'leader'), grid = user(9104, 'grid_manager');

describeBackends('pairings', (getDb) => {
	let area = 0, firm = 0;
	it('a leader adds their own pairings: a community and an enterprise on the map', async () => {
		await fixture(getDb());
		const db = asUser(getDb(), leader);
		area = await createPairing(db, leader, parsePairing({ kind: 'area', name: '和谐社区', areaCode: '990201001001', startedOn: '2026-01-05' }, leader));
		firm = await createPairing(db, leader, parsePairing({ kind: 'enterprise', name: '和谐食品厂', lon: '112.95', lat: '28.22', note: '用工难' }, leader));
		const rows = await leaderPairings(db, 9101);
		expect(rows.map((r) => [r.kind, r.name, r.area_name])).toEqual([['area', '和谐社区', '和谐社区'], ['enterprise', '和谐食品厂', null]]);
		// the community counts the requests of its grids; the enterprise only those within the radius
		expect(rows.map((r) => r.open_requests)).toEqual([2, 1]);
		expect(PAIRING_RADIUS_M).toBe(300);
		expect(rows[0].started_on).toBe('2026-01-05');
		expect(rows[0].due, 'never visited since January: 待走访').toBe(true);
		const audit = await getDb().sql`SELECT action, subject, user_id, detail->>'op' AS op FROM audit_log WHERE subject = ${`pairing:${firm}`}`;
		expect(audit).toEqual([{ action: 'pairing', subject: `pairing:${firm}`, user_id: 9101, op: 'create' }]);
	});
	it('refuses a second active pairing with the same community, an unknown place, and a non-leader', async () => {
		const db = asUser(getDb(), leader);
		await expect(createPairing(db, leader, parsePairing({ kind: 'area', name: '再来', areaCode: '990201001001' }, leader))).rejects.toThrow(/已在包联该村\/社区/);
		await expect(createPairing(db, leader, parsePairing({ kind: 'area', name: '无', areaCode: '990201001999' }, leader))).rejects.toThrow('区划代码（areaCode）990201001999 不是本区的村/社区');
		await expect(createPairing(asUser(getDb(), admin), admin, parsePairing({ kind: 'area', name: '网格员', areaCode: '990201001001', leaderId: '9104' }, admin))).rejects.toThrow(/不是在岗的领导账号/);
		expect((await getDb().sql`SELECT count(*)::int AS n FROM leader_pairings WHERE leader_id IN (9101, 9104)`)[0].n).toBe(2);
	});
	it("another leader can neither change nor end it, nor can anyone write one in a leader's name; the database refuses too", async () => {
		const p = parsePairing({ kind: 'enterprise', name: '改名', lon: '112.95', lat: '28.22' }, other);
		await expect(changePairing(asUser(getDb(), other), other, firm, { ...p, leaderId: 9101 })).rejects.toThrow('只有包联领导本人或管理员可以修改这条包联');
		await expect(endPairing(asUser(getDb(), other), other, firm, (s) => parseEnd('', s))).rejects.toThrow(/本人或管理员/);
		// row-level security (0011) without the app's check: the update touches no row, the insert is refused
		const touched = await asUser(getDb(), other).sql`UPDATE leader_pairings SET name = '偷改' WHERE id = ${firm} RETURNING id`;
		expect(touched).toEqual([]);
		await expect(asUser(getDb(), grid).sql`INSERT INTO leader_pairings (leader_id, target_kind, name, geom) VALUES (9101, 'project', 'x', ST_SetSRID(ST_MakePoint(112.9, 28.2), 4326))`).rejects.toThrow(/row-level security/);
	});
	it('the leader changes it (moved 1 km: the far request is now the near one); an admin ends it, and it leaves the list but keeps its row', async () => {
		const moved = parsePairing({ kind: 'enterprise', name: '和谐食品厂（新址）', lon: String(112.95 + 1000 / 98000), lat: '28.22' }, leader);
		await changePairing(asUser(getDb(), leader), leader, firm, moved);
		let rows = await leaderPairings(asUser(getDb(), leader), 9101);
		expect(rows.find((r) => r.id === firm)).toMatchObject({ name: '和谐食品厂（新址）', open_requests: 1 });
		await expect(endPairing(asUser(getDb(), admin), admin, firm, (s) => parseEnd('2020-01-01', s))).rejects.toThrow(/早于包联开始日期/);
		const end = await endPairing(asUser(getDb(), admin), admin, firm, (s) => parseEnd('', s));
		rows = await leaderPairings(asUser(getDb(), leader), 9101);
		expect(rows.map((r) => r.id)).toEqual([area]);
		const withEnded = await leaderPairings(asUser(getDb(), leader), 9101, { ended: true });
		expect(withEnded.find((r) => r.id === firm)).toMatchObject({ ended_on: end, due: false });
		await expect(changePairing(asUser(getDb(), leader), leader, firm, moved)).rejects.toThrow(/已于 .* 结束，不能再修改/);
		const ops = await getDb().sql`SELECT user_id, detail->>'op' AS op FROM audit_log WHERE subject = ${`pairing:${firm}`} ORDER BY id`;
		expect(ops).toEqual([{ user_id: 9101, op: 'create' }, { user_id: 9101, op: 'change' }, { user_id: 9102, op: 'end' }]);
	});
	it('a visit to the place ends 待走访', async () => {
		const db = getDb();
		const [{ id }] = await db.sql<{ id: number }>`INSERT INTO visits (leader_id, title, visit_type, unannounced, status, planned_date)
			VALUES (9101, '走访和谐社区', 'research', false, 'done', (now() AT TIME ZONE 'Asia/Shanghai')::date) RETURNING id`;
		await db.sql`INSERT INTO visit_stops (visit_id, seq, grid_code, name, purpose, geom) VALUES (${id}, 1, '990201001001001', '社区', '包联走访', ST_SetSRID(ST_MakePoint(112.93, 28.21), 4326))`;
		const [row] = await leaderPairings(asUser(getDb(), leader), 9101);
		expect([row.id, row.due, row.last_visit !== null]).toEqual([area, false, true]);
	});
});
