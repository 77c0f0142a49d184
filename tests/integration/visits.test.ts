import { expect, it } from 'vitest';
import { describeBackends } from './helpers/backends';
import type { Db } from '../../src/lib/server/db/client';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { parseItineraryRequest } from '../../src/lib/server/visits/itinerary';
import { createVisit, getVisit, listVisits, parseVisitMeta, recordedStops, reorderVisit } from '../../src/lib/server/visits/store';
import { parseOutcome, recordOutcome, visitOutcome } from '../../src/lib/server/visits/outcome';
import { sheetOutlines, sheetStops } from '../../src/lib/server/visits/sheet';
import { asUser } from '../../src/lib/server/access/userdb';
import { parseVisitFilter, VISIT_PAGE_SIZE } from '../../src/lib/domain/visits';
import { visitStopsOnMap } from '../../src/lib/server/visits/store';
import { leaderPairings } from '../../src/lib/server/visits/pairings';
import { completeDecision, myDecisions } from '../../src/lib/server/visits/decisions';
import * as itineraryRoute from '../../src/routes/api/visits/itinerary/+server';
import * as oldItineraryRoute from '../../src/routes/api/visits/plan/+server';

// One community with two grids side by side: 112.90–112.95 and 112.95–113.00 E, 28.20–28.25 N.
const box = (x0: number, x1: number) => `MULTIPOLYGON(((${x0} 28.2, ${x1} 28.2, ${x1} 28.25, ${x0} 28.25, ${x0} 28.2)))`;
async function fixture(db: Db) {
	await db.exec(`
		INSERT INTO areas (code, level, name, parent_code, setting, geom, label_point) VALUES
		  ('990101', 'district', '测试区', NULL, 'urban', ST_GeomFromText('${box(112.9, 113)}', 4326), ST_SetSRID(ST_MakePoint(112.95, 28.22), 4326)),
		  ('990101001', 'street', '测试街道', '990101', 'urban', ST_GeomFromText('${box(112.9, 113)}', 4326), ST_SetSRID(ST_MakePoint(112.95, 28.22), 4326)),
		  ('990101001001', 'community', '幸福社区', '990101001', 'urban', ST_GeomFromText('${box(112.9, 113)}', 4326), ST_SetSRID(ST_MakePoint(112.95, 28.22), 4326));
		INSERT INTO grids (code, community_code, name, geom, label_point) VALUES
		  ('990101001001001', '990101001001', '第一网格', ST_GeomFromText('${box(112.9, 112.95)}', 4326), ST_SetSRID(ST_MakePoint(112.92, 28.22), 4326)),
		  ('990101001001002', '990101001001', '第二网格', ST_GeomFromText('${box(112.95, 113)}', 4326), ST_SetSRID(ST_MakePoint(112.97, 28.22), 4326));
		INSERT INTO users (id, username, display_name, role) VALUES (9001, 'vt_leader', '李书记', 'leader'), (9002, 'vt_admin', '管理员', 'admin'),
		  (9003, 'vt_grid', '王网格', 'grid_manager'), (9004, 'vt_leader2', '赵区长', 'leader');
		UPDATE users SET phone = '13800001234', title = '专职网格员' WHERE id = 9003;
		UPDATE grids SET manager_id = 9003 WHERE code = '990101001001001';
		INSERT INTO categories (code, name) VALUES ('vt', '测试大类');
		INSERT INTO categories (code, parent_code, name) VALUES ('vt.road', 'vt', '道路破损');
		INSERT INTO leader_pairings (leader_id, target_kind, area_code, name) VALUES (9001, 'area', '990101001001', '幸福社区');`);
}
const user = (id: number, role: SessionUser['role']): SessionUser => ({ id, username: `u${id}`, displayName: `u${id}`, role, departmentId: null, title: null });
const leader = user(9001, 'leader');
const body = {
	title: '物业管理调研', visitType: 'research', unannounced: true, date: '2025-06-12', depart: '08:30', budgetMin: 480,
	start: { name: '区委', lon: 112.91, lat: 28.21 }, lunch: { earliest: '11:30', latest: '13:00', durationMin: 60 },
	stops: [
		{ id: 'a', name: '幸福小区', lon: 112.92, lat: 28.22, dwellMin: 45, purpose: '物业座谈' },
		{ id: 'b', name: '第二网格活动室', lon: 112.97, lat: 28.23, dwellMin: 30, window: { start: '14:00', end: '14:30' } },
		{ id: 'c', name: '远处工地', lon: 112.99, lat: 28.245, dwellMin: 400, mustVisit: false }
	]
};

describeBackends('visits', (getDb) => {
	let id = 0;
	it('plans, saves and times a day; leaves out what does not fit', async () => {
		await fixture(getDb());
		const saved = await createVisit(getDb(), leader, parseVisitMeta(body, leader), parseItineraryRequest(body));
		id = saved.id;
		expect(saved.itinerary.order).toEqual(['a', 'b']);
		expect(saved.itinerary.leftOut.map((l) => l.id)).toEqual(['c']);
		expect(saved.itinerary.travel.source).toBe('straight_line');
		const stops = await getDb().sql`SELECT seq, grid_code, to_char(arrive_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS t FROM visit_stops WHERE visit_id = ${id} ORDER BY seq`;
		expect(stops.map((s) => s.grid_code)).toEqual(['990101001001001', '990101001001002']);
		expect(stops[1].t).toBe('14:00');
	});
	it('四不两直: an unannounced plan is hidden from grids and other leaders, seen by its leader and admins', async () => {
		const db = getDb();
		await expect(getVisit(db, user(9003, 'grid_manager'), id)).rejects.toThrow(`走访 ${id} 不存在或无权查看`);
		await expect(getVisit(db, user(9004, 'leader'), id)).rejects.toThrow('无权查看');
		expect((await getVisit(db, user(9002, 'admin'), id)).id).toBe(id);
		expect((await listVisits(db, user(9003, 'grid_manager'))).rows.map((v) => v.id)).not.toContain(id);
		expect((await listVisits(db, leader)).rows.map((v) => v.id)).toContain(id);
	});
	it('reorders and locks, re-timing the stops', async () => {
		const itinerary = await reorderVisit(getDb(), leader, id, ['b', 'a'], ['b']);
		expect(itinerary.order).toEqual(['b', 'a']);
		expect(itinerary.view.rows[0].locked).toBe(true);
		const [s] = await getDb().sql`SELECT name, locked FROM visit_stops WHERE visit_id = ${id} AND seq = 1`;
		expect(s).toEqual({ name: '第二网格活动室', locked: true });
		await reorderVisit(getDb(), leader, id, ['a', 'b'], []);
	});
	it('the sheet lists each stop with its grid', async () => {
		const stops = await sheetStops(getDb(), id);
		expect(stops.map((s) => s.address)).toEqual(['测试街道 · 幸福社区 · 第一网格', '测试街道 · 幸福社区 · 第二网格']);
	});
	it("the sheet names each stop's contact, the grid's 网格员 with phone, to whoever may see the grid, and outlines the grids", async () => {
		const asAdmin = await sheetStops(asUser(getDb(), { id: 9002, role: 'admin' }), id);
		expect(asAdmin.map((s) => s.contact)).toEqual([{ grid_code: '990101001001001', name: '王网格', title: '专职网格员', phone: '13800001234' }, null]);
		// a grid worker without these grids sees no one's phone (0007 keeps colleagues' phones closed)
		const asOther = await sheetStops(asUser(getDb(), { id: 9003, role: 'grid_manager' }), id);
		expect(asOther.map((s) => s.contact)).toEqual([null, null]);
		const outlines = await sheetOutlines(getDb(), ['990101001001001', '990101001001002']);
		expect(outlines.map((o) => o.polygons[0][0].length)).toEqual([5, 5]);
		expect(outlines[0].polygons[0][0]).toContainEqual([112.95, 28.25]);
	});
	it('a bad finding writes nothing', async () => {
		const o = parseOutcome({ findings: [{ title: '路面坑洼', categoryCode: 'vt.road', stopSeq: 1 }, { title: '井盖', categoryCode: 'vt', stopSeq: 2 }] });
		await expect(recordOutcome(getDb(), leader, id, o)).rejects.toThrow('第 2 条发现的问题：请选择具体的小类，“vt”是大类');
		expect(await getDb().sql`SELECT id FROM requests WHERE visit_id = ${id}`).toEqual([]);
		expect((await getVisit(getDb(), leader, id)).status).toBe('planned');
	});
	it('records findings as requests linked to the visit, decisions with follow-up, then measures the loop', async () => {
		const o = parseOutcome({ findingsText: '物业费争议', decisionsText: '住建局牵头', findings: [{ title: '路面坑洼', categoryCode: 'vt.road', stopSeq: 2 }],
			decisions: [{ decision: '两周内修复道路', followUpUserId: 9004, dueDate: '2025-06-26' }] });
		const r = await recordOutcome(getDb(), leader, id, o);
		const [req] = await getDb().sql`SELECT status, channel, grid_code, visit_id FROM requests WHERE id = ${r.requests[0].id}`;
		expect(req).toEqual({ status: 'reported', channel: 'visit', grid_code: '990101001001002', visit_id: id });
		const events = await getDb().sql`SELECT action, to_status FROM request_events WHERE request_id = ${r.requests[0].id}`;
		expect(events).toEqual([{ action: 'report', to_status: 'reported' }]);
		const out = await visitOutcome(getDb(), id);
		expect([out.total, out.resolved, out.open, out.resolvedRate, out.satisfactionRate]).toEqual([1, 0, 1, 0, null]);
		expect(out.decisions[0]).toMatchObject({ decision: '两周内修复道路', follow_up_user: '赵区长', due_date: '2025-06-26' });
		// done: now visible to the places visited
		expect((await getVisit(getDb(), user(9003, 'grid_manager'), id)).status).toBe('done');
		await expect(recordOutcome(getDb(), leader, id, o)).rejects.toThrow('这次走访的结果已经记录过了');
	});
	it('a decision is a task of its follow-up person: overdue past its deadline, 落实 once, by them and no one else', async () => {
		const [{ id: did }] = await getDb().sql<{ id: number }>`SELECT id FROM visit_decisions WHERE visit_id = ${id} AND seq = 1`;
		const tasks = await myDecisions(asUser(getDb(), { id: 9004, role: 'leader' }), user(9004, 'leader'));
		expect(tasks.map((t) => [t.id, t.decision, t.due_date, t.overdue, t.done_at])).toEqual([[did, '两周内修复道路', '2025-06-26', true, null]]);
		expect(await myDecisions(asUser(getDb(), { id: 9003, role: 'grid_manager' }), user(9003, 'grid_manager'))).toEqual([]);
		// the grid worker may not record it; the follow-up leader does, once; the database checks both
		await expect(completeDecision(asUser(getDb(), { id: 9003, role: 'grid_manager' }), did, '已修')).rejects.toThrow('只有跟进人、跟进部门、带队领导或管理员可以记录落实情况');
		await completeDecision(asUser(getDb(), { id: 9004, role: 'leader' }), did, '道路已修复，验收合格');
		await expect(completeDecision(asUser(getDb(), { id: 9004, role: 'leader' }), did, '再记一次')).rejects.toThrow('这项议定事项已记录落实');
		await expect(completeDecision(asUser(getDb(), { id: 9004, role: 'leader' }), 987654321, 'x')).rejects.toThrow('议定事项 987654321 不存在');
		const [done] = await myDecisions(asUser(getDb(), { id: 9004, role: 'leader' }), user(9004, 'leader'));
		expect([done.overdue, done.done_by, done.done_note, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(done.done_at ?? '')]).toEqual([false, '赵区长', '道路已修复，验收合格', true]);
		expect((await visitOutcome(getDb(), id)).decisions[0]).toMatchObject({ overdue: false, done_note: '道路已修复，验收合格' });
		// grid_app cannot rewrite the decision itself
		await expect(asUser(getDb(), { id: 9004, role: 'leader' }).sql`UPDATE visit_decisions SET decision = '改掉' WHERE id = ${did} RETURNING id`).resolves.toEqual([]);
	});
	it('包联 places carry open items and the last visit date', async () => {
		const rows = await leaderPairings(getDb(), 9001);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ name: '幸福社区', open_requests: 1, last_visit: '2025-06-12' });
	});
	it('the list pages, filters by period, type and leader, and counts by type over what the user may see', async () => {
		const db = getDb();
		// 120 past visits of the leader: 80 调研, 40 宣讲, one a day from 2025-01-01; and one of another leader
		await db.sql`INSERT INTO visits (leader_id, title, visit_type, unannounced, status, planned_date)
			SELECT 9001, '往期' || i, CASE WHEN i % 3 = 0 THEN 'publicity' ELSE 'research' END, false, 'done', DATE '2025-01-01' + i - 1
			FROM generate_series(1, 120) i`;
		await db.sql`INSERT INTO visits (leader_id, title, visit_type, unannounced, status, planned_date) VALUES (9004, '赵区长接访', 'petition_reception', false, 'done', '2025-02-01'),
			(9001, '暗访安排', 'onsite_office', true, 'planned', '2025-02-02')`;
		const f = (q: string) => parseVisitFilter(new URLSearchParams(q));
		const adminU = user(9002, 'admin');
		const everything = await listVisits(db, adminU, f(''));
		expect(everything.rows).toHaveLength(VISIT_PAGE_SIZE);
		expect(everything.pages).toBe(Math.ceil(everything.total / VISIT_PAGE_SIZE));
		const seen = new Set<number>();
		for (let p = 1; p <= everything.pages; p++) for (const r of (await listVisits(db, adminU, f(`page=${p}`))).rows) seen.add(r.id);
		expect(seen.size, 'the pages together hold every visit once').toBe(everything.total);
		const jan = await listVisits(db, adminU, f('from=2025-01-01&to=2025-01-31'));
		expect([jan.total, jan.byType.research, jan.byType.publicity, jan.byType.petition_reception]).toEqual([31, 21, 10, 0]);
		const janResearch = await listVisits(db, adminU, f('from=2025-01-01&to=2025-01-31&type=research'));
		expect(janResearch.total).toBe(21);
		expect(janResearch.byType.publicity, 'the other types keep their counts beside the chosen one').toBe(10);
		expect(janResearch.rows.every((r) => r.visit_type === 'research' && r.planned_date.startsWith('2025-01'))).toBe(true);
		expect((await listVisits(db, adminU, f('leader=9004'))).rows.map((r) => r.title)).toEqual(['赵区长接访']);
		expect(everything.leaders.map((l) => l.id)).toEqual(expect.arrayContaining([9001, 9004]));
		// 四不两直: a planned unannounced visit is left out of another leader's list and counts
		const other = await listVisits(db, user(9004, 'leader'), f(''));
		expect(other.total).toBe(everything.total - 1);
		expect(other.byType.onsite_office).toBe(everything.byType.onsite_office - 1);
		// the map: every stop of the filtered visits, across pages
		const onMap = await visitStopsOnMap(db, leader, f('type=research'));
		expect(onMap.length).toBeGreaterThan(0);
		expect(onMap.every((s) => s.visit_type === 'research' && Number.isFinite(s.lon))).toBe(true);
	});
	it('the old URL /api/visits/plan answers with the itinerary handler', () => {
		expect(oldItineraryRoute.POST).toBe(itineraryRoute.POST);
	});
	it('bad input names the field', () => {
		expect(() => parseItineraryRequest({ ...body, depart: '25:00' })).toThrow('出发时间（depart）须是 HH:MM 格式的时间，收到“25:00”');
		expect(() => parseVisitMeta({ ...body, visitType: 'party' }, leader)).toThrow(/走访类型（visitType）/);
	});
	it('a visit recorded without an itinerary (plan = {}, as the demo district seeds them) reads as none, keeps its stops, and cannot be reordered', async () => {
		const db = getDb();
		const [{ id: bare }] = await db.sql<{ id: number }>`
			INSERT INTO visits (leader_id, title, visit_type, unannounced, status, planned_date) VALUES (9001, '往期走访', 'research', false, 'planned', '2025-05-01') RETURNING id`;
		await db.sql`INSERT INTO visit_stops (visit_id, seq, grid_code, name, purpose, geom) VALUES (${bare}, 1, '990101001001001', '幸福小区', '回访', ST_SetSRID(ST_MakePoint(112.92, 28.22), 4326))`;
		expect((await getVisit(db, leader, bare)).itinerary).toBeNull();
		expect(await recordedStops(db, bare)).toEqual([{ seq: 1, name: '幸福小区', purpose: '回访', arrive: null, depart: null, lon: 112.92, lat: 28.22 }]);
		expect((await sheetStops(db, bare)).map((s) => [s.seq, s.arrive])).toEqual([[1, null]]);
		await expect(reorderVisit(db, leader, bare, ['s1'], [])).rejects.toThrow('未计算路线');
		expect((await getVisit(db, leader, id)).itinerary?.request.stops.map((s) => s.id)).toEqual(['a', 'b', 'c']);
	});
});
