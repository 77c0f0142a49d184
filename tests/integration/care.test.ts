// 关爱对象 on both back ends: frequencies configured by admins (audited, refused for others), the
// due list scoped by role, a care visit recorded exactly once and leaving the list, and
// 关爱走访按时率 equal to a hand count (and to the domain's careOnTime) on a small fixture.
import { beforeAll, expect, it } from 'vitest';
import { careOnTime, careState, DEFAULT_CARE_DAYS, parseCareVisit } from '../../src/lib/domain/care';
import { localDate } from '../../src/lib/domain/time';
import { DEFAULT_TARGETS } from '../../src/lib/domain/kpi';
import type { Actor } from '../../src/lib/domain/workflow';
import { asUser } from '../../src/lib/server/access/userdb';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { careKpi } from '../../src/lib/server/care/kpi';
import { careList } from '../../src/lib/server/care/list';
import { careDays, parseCareDaysChanges, saveCareDays } from '../../src/lib/server/care/frequencies';
import { recordCareVisit } from '../../src/lib/server/care/visits';
import { describeBackends } from './helpers/backends';
import { insertLoopFixture, RL, type People } from './requests.fixture';

const NOW = new Date('2025-06-02T02:00:00Z'); // Monday 10:00 Beijing: today is 2025-06-02
const MAY = { from: new Date('2025-04-30T16:00:00Z'), to: new Date('2025-05-31T16:00:00Z') }; // 05-01 … 05-31 Beijing
const at9 = (day: string) => new Date(`${day}T09:00:00+08:00`);

describeBackends('care lists', (getDb) => {
	let p: People;
	let gmA: Actor, gmB: Actor, street: Actor;
	let h0: number, h1: number, h2: number, h3: number, hB: number;
	const visits: Record<number, string[]> = {};
	beforeAll(async () => {
		const db = getDb();
		p = await insertLoopFixture(db, NOW);
		[h0, h1, h2, h3] = p.households;
		gmA = { id: p.gmA, role: 'grid_manager', departmentId: null };
		gmB = { id: p.gmB, role: 'grid_manager', departmentId: null };
		await db.sql`UPDATE users SET jurisdiction_code = ${RL.street} WHERE id = ${p.leader}`;
		street = { id: p.leader, role: 'leader', departmentId: null };
		// h0 独居老人 (7 days); h1 低保 + 留守儿童 (the stricter, 14); h2 残疾 (30); h3 退役军人 (no care list by default)
		await db.sql`UPDATE households SET tags = '{elderly_alone}' WHERE id = ${h0}`;
		await db.sql`UPDATE households SET tags = '{low_income,left_behind_child}' WHERE id = ${h1}`;
		await db.sql`UPDATE households SET tags = '{disabled}' WHERE id = ${h2}`;
		await db.sql`UPDATE households SET tags = '{veteran}' WHERE id = ${h3}`;
		// hB: 独居老人 in grid B, never visited
		[{ id: hB }] = await db.sql<{ id: number }>`INSERT INTO households (building_id, grid_code, address, head_name, size, tags, geom)
			SELECT building_id, ${RL.gridB}, '2栋201', '李四', 1, '{elderly_alone}', ST_SetSRID(ST_MakePoint(113.015, 28.205), 4326) FROM households WHERE id = ${h0} RETURNING id`;
		Object.assign(visits, { [h0]: ['2025-05-01', '2025-05-07', '2025-05-20'], [h1]: ['2025-05-10', '2025-05-22'], [h2]: ['2025-05-25'] });
		for (const [h, days] of Object.entries(visits)) {
			for (const d of days) await db.sql`INSERT INTO care_visits (household_id, visitor_id, visited_at, situation, help_kind) VALUES (${Number(h)}, ${p.gmA}, ${at9(d)}, '情况正常', 'none')`;
		}
	});
	const as = (a: Actor) => asUser(getDb(), { ...a });

	it('lists the due and overdue care households of a worker\'s grids, most overdue first, and a street its whole area', async () => {
		const a = await careList(as(gmA), { grids: [RL.gridA] }, { now: NOW });
		// h0: last 05-20 + 7 = 05-27, 6 days overdue; h1: 05-22 + 14 = 06-05, 3 days left (临期); h2 on time; h3 not on a list
		expect(a.rows.map((r) => [r.id, r.state, r.daysLeft, r.intervalDays])).toEqual([[h0, 'overdue', -6, 7], [h1, 'due', 3, 14]]);
		expect(a).toMatchObject({ total: 2, overdue: 1, due: 1, households: 3 });
		expect(a.rows[0].head).toMatch(/\*/); // masked
		// grid B's worker sees only grid B, even when asking for grid A (row-level security)
		expect((await careList(as(gmB), { grids: [RL.gridA, RL.gridB] }, { now: NOW })).rows.map((r) => r.id)).toEqual([hB]);
		// the street's supervisor: both grids, never visited first
		const s = await careList(as(street), { prefix: RL.street }, { now: NOW });
		expect(s.rows.map((r) => r.id)).toEqual([hB, h0, h1]);
		expect(s.rows[0]).toMatchObject({ state: 'overdue', daysLeft: null, lastVisitAt: null });
		// the SQL and the domain's careState say the same of every row
		for (const r of s.rows) {
			const d = careState(r.lastVisitAt && localDate(r.lastVisitAt), r.intervalDays, NOW);
			expect([r.state, r.daysLeft]).toEqual([d.state, d.daysLeft]);
		}
	});

	it('counts 关爱走访按时率 as a hand count does, and as the domain rule does', async () => {
		// May's deadlines in grid A: h0 05-08 met (05-07), 05-14 missed (05-20), 05-27 passed unmet; h1 05-24 met (05-22) → 2 / 4
		const a = await careKpi(getDb(), { area: RL.gridA, pairing: null, ...MAY }, DEFAULT_TARGETS, NOW);
		expect([a.num, a.den]).toEqual([2, 4]);
		expect(a.rag).toBe('red');
		// the community adds hB, never visited: one missed deadline → 2 / 5
		const c = await careKpi(getDb(), { area: RL.community, pairing: null, ...MAY }, DEFAULT_TARGETS, NOW);
		expect([c.num, c.den]).toEqual([2, 5]);
		const byDomain = [[h0, 7], [h1, 14], [h2, 30], [hB, 7]].map(([h, d]) => careOnTime(visits[h] ?? [], d, '2025-05-01', '2025-05-31', '2025-06-02'));
		expect([byDomain.reduce((s, x) => s + x.onTime, 0), byDomain.reduce((s, x) => s + x.due, 0)]).toEqual([c.num, c.den]);
	});

	it('records a care visit once per key; the household leaves the due list; others are refused and nothing is written', async () => {
		const body = { householdId: String(h0), situation: ' 老人精神好 ', helpKind: 'health', helpText: '代购降压药', nextStep: '下周复查血压' };
		const v = await recordCareVisit(as(gmA), gmA, parseCareVisit(body, NOW), 'care-key-1', NOW);
		expect(v).toMatchObject({ householdId: h0, situation: '老人精神好', helpKind: 'health', helpText: '代购降压药', nextStep: '下周复查血压', address: '1栋101', replayed: false });
		const again = await recordCareVisit(as(gmA), gmA, parseCareVisit(body, NOW), 'care-key-1', NOW);
		expect(again).toMatchObject({ id: v.id, replayed: true });
		await expect(recordCareVisit(as(gmA), gmA, parseCareVisit({ ...body, situation: '另一次' }, NOW), 'care-key-1', NOW)).rejects.toMatchObject({ status: 422 });
		const a = await careList(as(gmA), { grids: [RL.gridA] }, { now: NOW });
		expect(a.rows.map((r) => r.id)).toEqual([h1]);
		const count = async () => Number((await getDb().sql<{ n: number }>`SELECT count(*) AS n FROM care_visits`)[0].n);
		const before = await count();
		// grid B's worker cannot see h0; h3 is on no care list; a department cannot make care visits
		await expect(recordCareVisit(as(gmB), gmB, parseCareVisit(body, NOW), null, NOW)).rejects.toMatchObject({ status: 400, field: 'householdId' });
		await expect(recordCareVisit(as(gmA), gmA, parseCareVisit({ ...body, householdId: String(h3) }, NOW), null, NOW)).rejects.toMatchObject({ status: 400, field: 'householdId', message: expect.stringContaining('不在关爱名单') });
		const dept: Actor = { id: p.zj, role: 'department_staff', departmentId: p.zhujian };
		await expect(recordCareVisit(as(dept), dept, parseCareVisit(body, NOW), null, NOW)).rejects.toMatchObject({ status: 403 });
		expect(await count()).toBe(before);
		// the database refuses what the domain would not make: help without words
		await expect(getDb().sql`INSERT INTO care_visits (household_id, visited_at, situation, help_kind) VALUES (${h0}, now(), '好', 'health')`).rejects.toThrow(/care_visits_help_check/);
	});

	it('lets admins change a frequency (audited; the stricter tag still wins) and refuses others', async () => {
		const admin = { id: p.admin, role: 'admin', username: 'admin', displayName: 'admin' } as SessionUser;
		expect(() => parseCareDaysChanges({ elderly_alone: '0' })).toThrowError(expect.objectContaining({ field: 'elderly_alone', message: expect.stringContaining('1 到 365') }));
		expect(() => parseCareDaysChanges({ rich: '7' })).toThrowError(expect.objectContaining({ field: 'rich' }));
		const leader = { id: p.leader, role: 'leader' } as SessionUser;
		await expect(saveCareDays(as(street), leader, parseCareDaysChanges({ low_income: '5' }))).rejects.toMatchObject({ status: 403 });
		// 低保 every 5 days: h1 (低保 + 留守儿童) now follows 5, overdue since 05-27
		const rows = await saveCareDays(asUser(getDb(), admin), admin, parseCareDaysChanges({ low_income: '5', veteran: 'off', disabled: '' }));
		expect(rows.find((r) => r.tag === 'low_income')).toMatchObject({ days: 5, configured: true, defaultDays: 30 });
		expect(rows.find((r) => r.tag === 'veteran')).toMatchObject({ days: null, configured: false }); // the default typed out stays the default
		expect((await careDays(getDb())).low_income).toBe(5);
		const a = await careList(as(gmA), { grids: [RL.gridA] }, { now: NOW });
		expect(a.rows.find((r) => r.id === h1)).toMatchObject({ state: 'overdue', intervalDays: 5, daysLeft: -6 });
		const audit = await getDb().sql<{ subject: string; detail: Record<string, unknown> }>`SELECT subject, detail FROM audit_log WHERE action = 'care_frequency'`;
		expect(audit).toEqual([{ subject: 'care:low_income', detail: { from: 30, to: 5, default: DEFAULT_CARE_DAYS.low_income } }]);
		// back to the default
		await saveCareDays(asUser(getDb(), admin), admin, parseCareDaysChanges({ low_income: '' }));
		expect((await careDays(getDb())).low_income).toBe(30);
	});
});
