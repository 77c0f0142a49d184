// KPIs on a hand-checked fixture: five requests walked through the loop at known times in June
// 2025, three hazards and four households. Every expected number below is worked out by hand in
// the comments, from domain.md's definitions.
import { beforeAll, expect, it } from 'vitest';
import { formatKpi, type KpiKey } from '../../src/lib/domain/kpi';
import { parseNewRequest } from '../../src/lib/domain/requestinput';
import { parseRequestFilter } from '../../src/lib/domain/requestfilter';
import type { Actor } from '../../src/lib/domain/workflow';
import { listPlaces } from '../../src/lib/server/kpi/drill';
import * as kpiRoute from '../../src/routes/api/kpi/+server';
import * as kpiSeriesRoute from '../../src/routes/api/kpi/series/+server';
import { computeKpis, kpiSeries, rankChildren } from '../../src/lib/server/kpi/kpi';
import { listRequests } from '../../src/lib/server/requests/list';
import { reportRequest } from '../../src/lib/server/requests/report';
import { moveRequest, type MoveInput } from '../../src/lib/server/requests/transition';
import { describeBackends } from './helpers/backends';
import { insertLoopFixture, RL, type People } from './requests.fixture';

/** '06-02 10:00' → that CST time in 2025 */
const t = (s: string) => new Date(`2025-${s.replace(' ', 'T')}:00+08:00`);
const NOW = t('06-30 10:00');
const JUNE = { area: RL.district, department: null, pairing: null, from: t('06-01 00:00'), to: t('07-01 00:00') };

describeBackends('kpi', (getDb) => {
	let p: People;
	const codes: Record<string, string> = {};
	beforeAll(async () => {
		const db = getDb();
		p = await insertLoopFixture(db, NOW);
		const admin: Actor = { id: p.admin, role: 'admin', departmentId: null };
		const zj: Actor = { id: p.zj, role: 'department_staff', departmentId: p.zhujian };
		const cg: Actor = { id: p.cg, role: 'department_staff', departmentId: p.chengguan };
		const xf: Actor = { id: p.xf, role: 'department_staff', departmentId: p.xiaofang };
		const gm: Actor = { id: p.gmA, role: 'grid_manager', departmentId: null };
		const gmB: Actor = { id: p.gmB, role: 'grid_manager', departmentId: null };
		const walk = async (name: string, point: [number, number], at: string, steps: [Actor, string, string, Partial<MoveInput>?][]) => {
			const r = await reportRequest(db, gm, parseNewRequest({ categoryCode: 'property.elevator', description: name, lon: point[0], lat: point[1] }), null, null, t(at));
			codes[name] = r.code;
			for (const [actor, action, when, extra] of steps) {
				const [{ version }] = await db.sql`SELECT version FROM requests WHERE id = ${r.id}`;
				await moveRequest(db, actor, { requestId: r.id, action, version, reason: '测试', now: t(when), ...extra });
			}
		};
		// 派单 Mon 06-02 10:00 → accept by Tue 06-03 10:00 (1 working day); 接单 starts the resolve
		// deadline, 7 working days later: accepted 06-02 12:00 → resolve by Wed 06-11 12:00
		const dispatch: [Actor, string, string, Partial<MoveInput>] = [admin, 'dispatch', '06-02 10:00', { departmentId: p.zhujian }];
		await walk('R1', RL.pointA, '06-02 09:00', [dispatch, [zj, 'accept', '06-02 12:00'], [zj, 'resolve', '06-05 10:00'],
			[gm, 'evaluate', '06-06 10:00', { satisfaction: 'satisfied', solved: true }], [gm, 'close', '06-07 10:00']]);
		// R2: accepted late (06-04 10:00) → resolve by Fri 06-13 10:00, resolved late on 06-16
		await walk('R2', RL.pointA, '06-02 09:00', [dispatch, [zj, 'accept', '06-04 10:00'], [zj, 'resolve', '06-16 10:00'],
			[gm, 'evaluate', '06-17 10:00', { satisfaction: 'unsatisfied', solved: false }]]);
		// 吹哨 06-03 10:00 → 报到 due 06-04 10:00: 城管 on time, 消防 late
		await walk('R3', RL.pointB, '06-02 09:00', [dispatch, [zj, 'accept', '06-02 12:00'],
			[zj, 'escalate', '06-03 10:00', { departments: [p.chengguan, p.xiaofang] }], [cg, 'checkin', '06-03 15:00'],
			[xf, 'checkin', '06-05 10:00'], [zj, 'resolve', '06-06 10:00'], [gmB, 'evaluate', '06-07 10:00', { satisfaction: 'basic', solved: true }]]);
		await walk('R4', RL.pointB, '06-02 09:00', [dispatch, [zj, 'accept', '06-02 12:00']]);
		// 派单 Wed 06-25 → accept due Thu 06-26 (missed); no resolve deadline until 接单
		await walk('R5', RL.pointA, '06-25 09:00', [[admin, 'dispatch', '06-25 10:00', { departmentId: p.zhujian }]]);
		await walk('R6', RL.pointA, '06-28 09:00', []);
		const hazard = (code: string, grid: string, deadline: string, status: string, rectified: string | null, reinspected: string | null) => db.sql`
			INSERT INTO hazards (code, type, severity, status, title, grid_code, found_at, rectify_deadline, rectified_at, reinspected_at, geom)
			VALUES (${code}, 'gas', 2, ${status}, '燃气隐患', ${grid}, ${t('05-20 10:00')}, ${t(deadline)}, ${rectified && t(rectified)}, ${reinspected && t(reinspected)}, 'SRID=4326;POINT(113.005 28.205)')`;
		await hazard('H1', RL.gridA, '06-10 18:00', 'verified', '06-08 10:00', '06-09 10:00');
		await hazard('H2', RL.gridB, '06-15 18:00', 'rectified', '06-14 10:00', null);
		await hazard('H3', RL.gridB, '07-10 18:00', 'open', null, null);
	});

	const pick = (vals: { key: KpiKey; num: number; den: number | null }[]) =>
		Object.fromEntries(vals.map((v) => [v.key, v.den === null ? v.num : `${v.num}/${v.den}`]));

	it('counts every KPI of domain.md for the district in June', async () => {
		const k = await computeKpis(getDb(), JUNE, { now: NOW, visitDays: 30 });
		expect(pick(k.values)).toEqual({
			accept_rate: '3/5',       // dispatched R1–R5; accepted in time R1, R3, R4 (R2 late, R5 never)
			close_rate: '3/4',        // due by now: R1–R4 (R5 not accepted: no resolve deadline); done: R1, R2, R3
			ontime_rate: '2/3',       // resolved R1, R2, R3; R2 after its deadline
			solved_rate: '2/3',       // evaluated R1, R2, R3; R2 unsolved
			satisfaction_rate: '2/3', // R1 满意, R3 基本满意, R2 不满意
			overdue: 2,               // R4 past resolve deadline, R5 past accept deadline
			whistle_rate: '1/2',      // 城管 on time, 消防 late
			visit_coverage: '2/4',    // visited 5 and 20 days ago; 100 days ago and never do not count
			hazard_rate: '1/2'        // due in June: H1 verified, H2 rectified but not re-inspected
		});
		expect(k.open).toBe(3); // R4, R5, R6
		expect(k.rag).toBe('red');
		expect(formatKpi(k.values[0])).toBe('60.0%');
	});

	it('隐患整改率 counts a hazard put right after its deadline against it, even once re-inspected (销号)', async () => {
		const db = getDb();
		const insert = (code: string, deadline: string, rectified: string, reinspected: string) => db.sql`
			INSERT INTO hazards (code, type, severity, status, title, grid_code, found_at, rectify_deadline, rectified_at, reinspected_at, geom)
			VALUES (${code}, 'gas', 2, 'verified', '燃气隐患', ${RL.gridA}, ${t('08-20 10:00')}, ${t(deadline)}, ${t(rectified)}, ${t(reinspected)}, 'SRID=4326;POINT(113.005 28.205)')`;
		await insert('H-LATE', '09-10 18:00', '09-12 10:00', '09-13 10:00'); // two days late, then closed
		await insert('H-ONTIME', '09-20 18:00', '09-18 10:00', '09-19 10:00');
		const september = { ...JUNE, from: t('09-01 00:00'), to: t('10-01 00:00') };
		const k = await computeKpis(db, september, { now: t('10-08 10:00'), visitDays: 30 });
		expect(pick(k.values).hazard_rate).toBe('1/2');
	});

	it('ranks the grids of the community red/amber/green, best first', async () => {
		const ranked = await rankChildren(getDb(), { ...JUNE, area: RL.community }, { now: NOW });
		expect(ranked.map((r) => [r.code, r.rag])).toEqual([[RL.gridA, 'red'], [RL.gridB, 'red']]);
		expect(pick(ranked[0].values)).toMatchObject({ accept_rate: '1/3', close_rate: '2/2', overdue: 1, visit_coverage: '2/4', hazard_rate: '1/1' });
		expect(pick(ranked[1].values)).toMatchObject({ accept_rate: '2/2', close_rate: '1/2', overdue: 1, whistle_rate: '1/2', hazard_rate: '0/1' });
	});

	it('ranks the streets when no area is chosen (the district is the scope, not a row of its own)', async () => {
		const ranked = await rankChildren(getDb(), { ...JUNE, area: null }, { now: NOW });
		expect(ranked.length).toBeGreaterThan(0);
		for (const r of ranked) expect(r.code).toMatch(/^\d{9}$/);
	});

	it('counts 超期数 at the end of a past period, from the history, not today', async () => {
		const first = await computeKpis(getDb(), { ...JUNE, to: t('06-15 00:00') }, { now: NOW });
		expect(pick(first.values).overdue).toBe(2); // R2 and R4 on 06-14 24:00 (today it is R4 and R5)
		const early = await computeKpis(getDb(), { ...JUNE, to: t('06-04 00:00') }, { now: NOW });
		expect(pick(early.values).overdue).toBe(1); // R2, waiting for 接单 past 06-03 10:00
	});

	it('scopes by department, by a leader’s 包联 set, and by a past period (door-knock history)', async () => {
		const db = getDb();
		const cg = await computeKpis(db, { ...JUNE, area: null, department: p.chengguan }, { now: NOW });
		expect(pick(cg.values)).toMatchObject({ accept_rate: '0/0', whistle_rate: '1/1', visit_coverage: '0/0' });
		const leader = await computeKpis(db, { ...JUNE, area: null, pairing: p.leader }, { now: NOW });
		expect(pick(leader.values)).toEqual(pick((await computeKpis(db, JUNE, { now: NOW })).values));
		const may = await computeKpis(db, { ...JUNE, from: t('05-01 00:00'), to: t('06-01 00:00') }, { now: NOW, visitDays: 90 });
		expect(pick(may.values)).toMatchObject({ accept_rate: '0/0', visit_coverage: '1/4' }); // only the visit 100 days before 06-30 falls in 03-02…05-31
	});

	it('drills down to exactly the requests behind a number', async () => {
		const q = (s: string) => parseRequestFilter(new URLSearchParams(`area=${RL.district}&from=2025-06-01&to=2025-06-30&${s}`), NOW);
		const names = async (s: string) => (await listRequests(getDb(), q(s), null, NOW)).rows.map((r) => Object.keys(codes).find((k) => codes[k] === r.code)).sort();
		expect(await names('kpi=accept_rate&part=num')).toEqual(['R1', 'R3', 'R4']);
		expect(await names('kpi=accept_rate')).toEqual(['R1', 'R2', 'R3', 'R4', 'R5']);
		expect(await names('kpi=overdue')).toEqual(['R4', 'R5']);
		// the period's end, not today: 06-14 24:00 R2 (accepted, resolve due 06-13) and R4; 06-03 24:00
		// only R2 (accept due 06-03 10:00, accepted 06-04); R5 was not reported yet
		const upTo = async (to: string) => (await listRequests(getDb(), parseRequestFilter(new URLSearchParams(`area=${RL.district}&from=2025-06-01&to=${to}&kpi=overdue`), NOW), null, NOW))
			.rows.map((r) => Object.keys(codes).find((k) => codes[k] === r.code)).sort();
		expect(await upTo('2025-06-14')).toEqual(['R2', 'R4']);
		expect(await upTo('2025-06-03')).toEqual(['R2']);
		expect(await names('kpi=satisfaction_rate&part=num')).toEqual(['R1', 'R3']);
		// every KPI drills down, the 吹哨响应率 denominator too (it answered 500)
		expect(await names('kpi=whistle_rate&part=den')).toEqual(['R3']);
		expect(await names('kpi=whistle_rate&part=num')).toEqual(['R3']);
		for (const k of ['close_rate', 'ontime_rate', 'solved_rate']) for (const part of ['num', 'den']) await names(`kpi=${k}&part=${part}`);
		// the households and hazards behind 入户走访覆盖率 and 隐患整改率, as many as the numbers say
		const k = await computeKpis(getDb(), JUNE, { now: NOW });
		const num = (key: KpiKey) => k.values.find((v) => v.key === key)!;
		const places = async (s: string) => listPlaces(getDb(), q(s), { now: NOW });
		const visited = await places('kpi=visit_coverage&part=num');
		expect([visited.subject, visited.total, visited.rows.length]).toEqual(['households', num('visit_coverage').num, 2]);
		expect(visited.rows.map((h) => h.id).sort()).toEqual(p.households.slice(0, 2).sort()); // visited 5 and 20 days ago
		expect((await places('kpi=visit_coverage&part=den')).total).toBe(num('visit_coverage').den);
		const hz = async (part: string) => (await places(`kpi=hazard_rate&part=${part}`)) as { total: number; rows: { code: string }[] };
		expect((await hz('num')).rows.map((h) => h.code)).toEqual(['H1']);
		expect((await hz('den')).rows.map((h) => h.code)).toEqual(['H1', 'H2']);
		expect([(await hz('num')).total, (await hz('den')).total]).toEqual([num('hazard_rate').num, num('hazard_rate').den]);
		// a 30-day window and a department scope, as the counts do
		expect((await listPlaces(getDb(), q('kpi=visit_coverage&part=num'), { now: NOW, visitDays: 30 })).total).toBe(2);
		expect((await places(`kpi=hazard_rate&department=${p.chengguan}`)).total).toBe(0);
		await expect(places('kpi=accept_rate')).rejects.toMatchObject({ status: 400, field: 'kpi' });
		const queue = await listRequests(getDb(), q('status=open'), [RL.gridA], NOW);
		expect(queue.rows.map((r) => [r.code === codes.R5, r.overdue])).toEqual([[true, true], [false, false]]); // overdue first
	});

	// last: it adds a July request, outside the June figures above
	it('满意率 and 解决率 count every evaluation, also the unsatisfied one that sent a request back to 返工', async () => {
		const db = getDb();
		const admin: Actor = { id: p.admin, role: 'admin', departmentId: null };
		const zj: Actor = { id: p.zj, role: 'department_staff', departmentId: p.zhujian };
		const gm: Actor = { id: p.gmA, role: 'grid_manager', departmentId: null };
		const r = await reportRequest(db, gm, parseNewRequest({ categoryCode: 'property.elevator', description: 'R7', lon: RL.pointA[0], lat: RL.pointA[1] }), null, null, t('07-01 09:00'));
		const steps: [Actor, string, string, Partial<MoveInput>?][] = [[admin, 'dispatch', '07-01 10:00', { departmentId: p.zhujian }],
			[zj, 'accept', '07-01 11:00'], [zj, 'resolve', '07-02 10:00'], [gm, 'evaluate', '07-03 10:00', { satisfaction: 'unsatisfied', solved: false }],
			[gm, 'reopen', '07-04 10:00'], [zj, 'accept', '07-04 11:00'], [zj, 'resolve', '07-07 10:00'], [gm, 'evaluate', '07-08 10:00', { satisfaction: 'satisfied', solved: true }]];
		for (const [actor, action, when, extra] of steps) {
			const [{ version }] = await db.sql`SELECT version FROM requests WHERE id = ${r.id}`;
			await moveRequest(db, actor, { requestId: r.id, action, version, reason: '测试', now: t(when), ...extra });
		}
		const JULY = { ...JUNE, from: t('07-01 00:00'), to: t('08-01 00:00') };
		const july = await computeKpis(db, JULY, { now: t('07-31 10:00') });
		// two evaluations in July: 不满意/未解决 (then 返工) and 满意/已解决; the latest alone would say 1/1
		expect(pick(july.values)).toMatchObject({ satisfaction_rate: '1/2', solved_rate: '1/2' });
		// 最终满意率, shown beside it: each request's latest evaluation only, 满意 after the 返工
		expect(pick(july.beside)).toEqual({ final_satisfaction_rate: '1/1' });
		expect(july.beside[0].rag).toBe('green');
		const q = (s: string) => parseRequestFilter(new URLSearchParams(`area=${RL.district}&from=2025-07-01&to=2025-07-31&${s}`), t('07-31 10:00'));
		expect((await listRequests(db, q('kpi=satisfaction_rate'), null, t('07-31 10:00'))).rows.map((x) => x.code)).toEqual([r.code]);
		expect((await listRequests(db, q('kpi=solved_rate&part=num'), null, t('07-31 10:00'))).rows.map((x) => x.code)).toEqual([r.code]);
		for (const part of ['den', 'num']) expect((await listRequests(db, q(`kpi=final_satisfaction_rate&part=${part}`), null, t('07-31 10:00'))).rows.map((x) => x.code)).toEqual([r.code]);
		// June is unchanged by it
		const june = await computeKpis(db, JUNE, { now: NOW });
		expect(pick(june.values)).toMatchObject({ satisfaction_rate: '2/3', solved_rate: '2/3' });
		expect(pick(june.beside)).toEqual({ final_satisfaction_rate: '2/3' }); // R1 满意, R3 基本满意, R2 不满意: one evaluation each
	});

	// after the July case: an August request, outside the figures above
	it('受理率 counts every dispatch: a 改派 after a 退单 is a dispatch of its own, with its own accept deadline', async () => {
		const db = getDb();
		const admin: Actor = { id: p.admin, role: 'admin', departmentId: null };
		const zj: Actor = { id: p.zj, role: 'department_staff', departmentId: p.zhujian };
		const gm: Actor = { id: p.gmA, role: 'grid_manager', departmentId: null };
		const r = await reportRequest(db, gm, parseNewRequest({ categoryCode: 'property.elevator', description: 'R8', lon: RL.pointA[0], lat: RL.pointA[1] }), null, null, t('08-04 09:00'));
		// 派单 Mon 08-04 10:00 (accept by 08-05 10:00) → 退单 11:00 → 改派 12:00 → 接单 13:00: the 接单 answers
		// the 改派 only; the first dispatch was sent back, never accepted, although 13:00 is before its deadline
		const steps: [Actor, string, string, Partial<MoveInput>?][] = [[admin, 'dispatch', '08-04 10:00', { departmentId: p.zhujian }],
			[zj, 'return', '08-04 11:00'], [admin, 'redispatch', '08-04 12:00', { departmentId: p.zhujian }], [zj, 'accept', '08-04 13:00']];
		for (const [actor, action, when, extra] of steps) {
			const [{ version }] = await db.sql`SELECT version FROM requests WHERE id = ${r.id}`;
			await moveRequest(db, actor, { requestId: r.id, action, version, reason: '测试', now: t(when), ...extra });
		}
		const AUGUST = { ...JUNE, from: t('08-01 00:00'), to: t('09-01 00:00') };
		const now = t('08-29 10:00');
		expect(pick((await computeKpis(db, AUGUST, { now })).values)).toMatchObject({ accept_rate: '1/2' });
		const q = (s: string) => parseRequestFilter(new URLSearchParams(`area=${RL.district}&from=2025-08-01&to=2025-08-31&${s}`), now);
		for (const part of ['den', 'num']) expect((await listRequests(db, q(`kpi=accept_rate&part=${part}`), null, now)).rows.map((x) => x.code)).toEqual([r.code]);
		// June is unchanged by it
		expect(pick((await computeKpis(db, JUNE, { now: NOW })).values)).toMatchObject({ accept_rate: '3/5' });
	});
	// after the August case: September 信访件, outside the figures above
	it('化解率 of 信访件: 息访 (满意/基本满意, then 销号) ÷ petition cases due; /api/kpi honours kind and names an unknown one', async () => {
		const db = getDb();
		const admin: Actor = { id: p.admin, role: 'admin', departmentId: null };
		const zj: Actor = { id: p.zj, role: 'department_staff', departmentId: p.zhujian };
		const gm: Actor = { id: p.gmA, role: 'grid_manager', departmentId: null };
		const petition = async (name: string, steps: [Actor, string, string, Partial<MoveInput>?][]) => {
			const r = await reportRequest(db, gm, parseNewRequest({ kind: 'petition', leaderId: p.leader, categoryCode: 'property.elevator', description: name, lon: RL.pointA[0], lat: RL.pointA[1] }), null, null, t('09-01 09:00'));
			for (const [actor, action, when, extra] of steps) {
				const [{ version }] = await db.sql`SELECT version FROM requests WHERE id = ${r.id}`;
				await moveRequest(db, actor, { requestId: r.id, action, version, reason: '测试', now: t(when), ...extra });
			}
			return r.code;
		};
		// each: 派单 Mon 09-01 10:00, 接单 11:00 → resolve due Wed 09-10 11:00 (7 working days), inside September
		const start: [Actor, string, string, Partial<MoveInput>?][] = [[admin, 'dispatch', '09-01 10:00', { departmentId: p.zhujian }], [zj, 'accept', '09-01 11:00']];
		const settled = await petition('P1', [...start, [zj, 'resolve', '09-03 10:00'], [gm, 'evaluate', '09-04 10:00', { satisfaction: 'basic', solved: true }], [gm, 'close', '09-05 10:00']]);
		// closed, but the petitioner was not satisfied: no 息访
		await petition('P2', [...start, [zj, 'resolve', '09-03 10:00'], [gm, 'evaluate', '09-04 10:00', { satisfaction: 'unsatisfied', solved: false }], [gm, 'close', '09-05 10:00']]);
		// evaluated 满意 but not yet 销号: not closed, no 息访 yet
		await petition('P3', [...start, [zj, 'resolve', '09-03 10:00'], [gm, 'evaluate', '09-04 10:00', { satisfaction: 'satisfied', solved: true }]]);
		const SEPT = { ...JUNE, from: t('09-01 00:00'), to: t('10-01 00:00') };
		const now = t('09-29 10:00');
		const all = await computeKpis(db, SEPT, { now });
		expect(pick(all.petition)).toEqual({ mediation_rate: '1/3' });
		expect(all.petition[0].rag).toBe('red'); // 33 % against 85 %
		// kind=petition: the request KPIs of 信访件 only; households and hazards have no kind
		const onlyPetitions = await computeKpis(db, { ...SEPT, kind: 'petition' }, { now });
		expect(pick(onlyPetitions.values)).toMatchObject({ accept_rate: '3/3', close_rate: '3/3', visit_coverage: '0/0', hazard_rate: '0/0' });
		expect(pick((await computeKpis(db, { ...SEPT, kind: 'wish' }, { now })).values)).toMatchObject({ accept_rate: '0/0' });
		expect(pick(onlyPetitions.petition)).toEqual({ mediation_rate: '1/3' });
		const q = (s: string) => parseRequestFilter(new URLSearchParams(`area=${RL.district}&from=2025-09-01&to=2025-09-30&${s}`), now);
		expect((await listRequests(db, q('kpi=mediation_rate&part=num'), null, now)).rows.map((x) => x.code)).toEqual([settled]);
		expect((await listRequests(db, q('kpi=mediation_rate&part=den'), null, now)).total).toBe(3);
		// the endpoint refuses an unknown kind before it reads anything, naming the field
		const res = await kpiRoute.GET({ locals: { user: { id: p.admin, role: 'admin' } }, url: new URL('http://grid.intranet/api/kpi?kind=complaint') } as never);
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ error: { code: 'invalid_param', field: 'kind' } });
	});

	it('KPI trend (/kpi): each day or week is the figure of that piece chosen as the period; flows add up to the month, stocks end where it ends', async () => {
		const db = getDb();
		const o = { now: NOW, visitDays: 30 };
		const month = await computeKpis(db, JUNE, o);
		const byDay = await kpiSeries(db, JUNE, o);
		expect(byDay.step).toBe('day');
		// June 1…30: the whole month, in order, nothing after NOW (06-30 10:00) and no gap
		expect(byDay.periods.map((p) => p.label)).toEqual(Array.from({ length: 30 }, (_, i) => `06-${String(i + 1).padStart(2, '0')}`));
		expect(byDay.periods[0].from).toEqual(JUNE.from);
		expect(byDay.periods.at(-1)!.to).toEqual(JUNE.to);
		for (let i = 1; i < byDay.periods.length; i++) expect(byDay.periods[i].from).toEqual(byDay.periods[i - 1].to);
		// each point is what /kpi says for that piece alone
		for (const i of [1, 2, 5, 24, 29]) {
			const alone = await computeKpis(db, { ...JUNE, from: byDay.periods[i].from, to: byDay.periods[i].to }, o);
			expect(byDay.points[i].values, byDay.periods[i].label).toEqual(alone.values);
		}
		// 06-02, the day R1…R4 were dispatched (派单 10:00) and R2 was not accepted in time
		const accept = (p: { values: { key: string; num: number; den: number | null }[] }) => p.values.find((v) => v.key === 'accept_rate')!;
		expect(accept(byDay.points[1])).toMatchObject({ num: accept(byDay.points[1]).den! - 1 });
		expect(accept(byDay.points[1]).den).toBeGreaterThanOrEqual(4);
		// counted by the day they happen on (派单, 吹哨, 评价, 整改期限): the days add up to the month
		for (const key of ['accept_rate', 'whistle_rate', 'solved_rate', 'satisfaction_rate', 'hazard_rate']) {
			const sum = (part: 'num' | 'den') => byDay.points.reduce((n, p) => n + Number(p.values.find((v) => v.key === key)![part]), 0);
			const m = month.values.find((v) => v.key === key)!;
			expect({ key, num: sum('num'), den: sum('den') }).toEqual({ key, num: m.num, den: m.den });
		}
		// counted at the period's end (超期数, 入户走访覆盖率): the last day ends where June ends
		for (const key of ['overdue', 'visit_coverage']) expect(byDay.points.at(-1)!.values.find((v) => v.key === key)).toEqual(month.values.find((v) => v.key === key));
		expect(byDay.points.at(-1)!.households).toBe(month.households);

		// May and June: Monday-to-Sunday weeks, cut at the period's ends (05-01 is a Thursday)
		const twoMonths = { ...JUNE, from: t('05-01 00:00') };
		const byWeek = await kpiSeries(db, twoMonths, o);
		expect(byWeek.step).toBe('week');
		expect(byWeek.periods[0].span).toBe('2025-05-01 至 2025-05-04');
		expect(byWeek.periods[1].span).toBe('2025-05-05 至 2025-05-11');
		expect(byWeek.periods.at(-1)!.span).toBe('2025-06-30');
		const week = byWeek.periods.findIndex((p) => p.span === '2025-06-02 至 2025-06-08');
		const alone = await computeKpis(db, { ...twoMonths, from: byWeek.periods[week].from, to: byWeek.periods[week].to }, o);
		expect(byWeek.points[week].values).toEqual(alone.values);

		// /api/kpi/series refuses bad input before it reads anything, naming the field
		for (const [query, field] of [['area=abc', 'area'], ['days=0', 'days'], ['from=2025-07-01&to=2025-06-01', 'from']]) {
			const res = await kpiSeriesRoute.GET({ locals: { user: { id: p.admin, role: 'admin' } }, url: new URL(`http://grid.intranet/api/kpi/series?${query}`) } as never);
			expect(res.status, query).toBe(400);
			expect(await res.json()).toMatchObject({ error: { code: 'invalid_param', field } });
		}
	});
});
