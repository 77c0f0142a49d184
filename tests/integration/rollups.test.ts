// KPIs from the daily rollups (0021, src/lib/server/kpi/rollups.ts) equal the direct definition
// (db/fragments.ts), on both back ends: on the seeded demo district, for the district, a street,
// a community and a grid, for today, two days across midnight Beijing time, 30 days, a year and an
// ended period; then again after a series of writes (a new request, dispatch, accept, return and
// 改派, 吹哨 and 报到, resolve, evaluations, 返工, close, an extended deadline, a request moved to
// another grid, door-knocks, hazards found, closed, deleted, moved and re-dated) on both sides of
// midnight. The incrementally kept rollup rows also equal a rebuild from scratch, and a leader
// reads their own jurisdiction's rollups under RLS.
import { beforeAll, expect, it } from 'vitest';
import { seedDemoDistrict } from '../../db/seed/ensure';
import { lastDays, startOfLocalDay } from '../../src/lib/domain/calendar';
import { parseNewRequest } from '../../src/lib/domain/requestinput';
import type { Actor } from '../../src/lib/domain/workflow';
import { asUser } from '../../src/lib/server/access/userdb';
import type { Db } from '../../src/lib/server/db/client';
import { computeKpis, rankChildren, type KpiScope } from '../../src/lib/server/kpi/kpi';
import { rollupsApply } from '../../src/lib/server/kpi/rollups';
import { cachedKpiReport, kpiVersion } from '../../src/lib/server/kpi/cache';
import { kpiTargets } from '../../src/lib/server/kpi/targets';
import { reportRequest } from '../../src/lib/server/requests/report';
import { moveRequest, type MoveInput } from '../../src/lib/server/requests/transition';
import { askExtension } from '../../src/lib/server/requests/cases';
import { screenSummary } from '../../src/lib/server/screen/summary';
import { describeBackends } from './helpers/backends';

const DAY = 86_400_000;
// seeded as of a late evening; the writes run on both sides of the following midnight
const SEEDED = new Date('2026-11-20T22:00:00+08:00');
const at = (hhmm: string, day = '2026-11-20') => new Date(`${day}T${hhmm}:00+08:00`);
const AFTER = at('01:00', '2026-11-21');

function periods(now: Date) {
	const today = startOfLocalDay(now);
	const month = lastDays(30, now);
	return {
		today: { from: today, to: new Date(today.getTime() + DAY) },
		'across midnight': { from: new Date(today.getTime() - DAY), to: new Date(today.getTime() + DAY) },
		'30 days': month,
		year: lastDays(365, now),
		ended: { from: new Date(month.from.getTime() - 30 * DAY), to: month.from }
	};
}

const figures = (k: Awaited<ReturnType<typeof computeKpis>>) =>
	[...k.values, ...k.beside, ...k.petition].map((v) => `${v.key} ${v.num}/${v.den}`).concat(`open ${k.open}`);

describeBackends('KPIs from rollups', (getDb) => {
	let areas: { name: string; code: string | null }[];
	let department: number;
	let leader: { id: number; role: string; area: string };

	/** Every figure for every area × period at `now`, from the rollups and directly. */
	async function compareAll(db: Db, now: Date) {
		let compared = 0;
		for (const a of areas) {
			for (const [name, p] of Object.entries(periods(now))) {
				const s: KpiScope = { area: a.code, department: null, pairing: null, ...p };
				expect(await rollupsApply(db, s)).toBe(true);
				const rolled = await computeKpis(db, s, { now, source: 'rollups' });
				const direct = await computeKpis(db, s, { now, source: 'direct' });
				expect(figures(rolled), `${a.name} ${name}`).toEqual(figures(direct));
				compared++;
			}
		}
		const year = periods(now).year;
		const extra: [string, KpiScope][] = [
			['one department', { area: null, department, pairing: null, ...periods(now)['30 days'] }],
			['信访件', { area: null, department: null, pairing: null, kind: 'petition', ...year }],
			['诉求 of a street', { area: areas[1].code, department: null, pairing: null, kind: 'request', ...year }],
			['a leader’s 包联', { area: null, department: null, pairing: leader.id, ...year }]
		];
		for (const [name, s] of extra) {
			expect(figures(await computeKpis(db, s, { now, source: 'rollups' })), name).toEqual(figures(await computeKpis(db, s, { now, source: 'direct' })));
		}
		for (const a of areas.slice(0, 2)) {
			const s: KpiScope = { area: a.code, department: null, pairing: null, ...year };
			const rank = async (source: 'rollups' | 'direct') => (await rankChildren(db, s, { now, source })).map((r) => [r.code, r.open, r.score, ...r.values.map((v) => `${v.num}/${v.den}`)]);
			expect(await rank('rollups'), `${a.name} ranking`).toEqual(await rank('direct'));
		}
		// the big screen: every number the same (it is generated at the same instant)
		expect(await screenSummary(db, null, now, 'rollups')).toEqual(await screenSummary(db, null, now, 'direct'));
		return compared;
	}

	beforeAll(async () => {
		const db = getDb();
		await seedDemoDistrict(db, { households: 3000, now: SEEDED });
		const [street] = await db.sql<{ code: string }>`SELECT code FROM areas WHERE level = 'street' ORDER BY code LIMIT 1`;
		const [community] = await db.sql<{ code: string }>`SELECT code FROM areas WHERE level = 'community' AND code LIKE ${street.code + '%'} ORDER BY code LIMIT 1`;
		// the grid with the most requests: a grid-level figure that is no 0/0
		const [grid] = await db.sql<{ code: string }>`SELECT grid_code AS code FROM requests GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`;
		areas = [{ name: 'district', code: null }, { name: 'street', code: street.code }, { name: 'community', code: community.code }, { name: 'grid', code: grid.code }];
		[{ id: department }] = await db.sql<{ id: number }>`SELECT department_id AS id FROM requests WHERE department_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`;
		[leader] = await db.sql<{ id: number; role: string; area: string }>`SELECT u.id, u.role, u.jurisdiction_code AS area FROM users u
			WHERE u.role = 'leader' AND u.jurisdiction_code IS NOT NULL AND EXISTS (SELECT 1 FROM leader_pairings p WHERE p.leader_id = u.id)
			ORDER BY u.id LIMIT 1`;
	}, 600_000);

	it('every KPI of district, street, community and grid equals the direct definition for today, across midnight, 30 days, a year and an ended period', async () => {
		expect(await compareAll(getDb(), SEEDED)).toBe(20);
	}, 300_000);

	it('stays equal after a series of writes on both sides of midnight, and equals a rebuild from scratch', async () => {
		const db = getDb();
		const [admin] = await db.sql<{ id: number }>`SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1`;
		const actor: Actor = { id: admin.id, role: 'admin', departmentId: null };
		const move = async (id: number, action: string, when: Date, extra: Partial<MoveInput> = {}) => {
			const [{ version }] = await db.sql<{ version: number }>`SELECT version FROM requests WHERE id = ${id}`;
			return moveRequest(db, actor, { requestId: id, action, version, reason: '测试', now: when, ...extra });
		};
		const departments = (await db.sql<{ id: number }>`SELECT id FROM departments ORDER BY id LIMIT 3`).map((d) => d.id);
		const [g] = await db.sql<{ lon: number; lat: number }>`SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids WHERE code = ${areas[3].code}`;

		// a new request walked through the loop, evening and after midnight (物业服务: 销号 needs no 核查,
		// verification.ts; the 核查 step has its own tests in verify.test.ts)
		const r1 = await reportRequest(db, actor, parseNewRequest({ categoryCode: 'property.service', description: '物业服务不到位', lon: g.lon, lat: g.lat }), null, null, at('22:10'));
		await move(r1.id, 'dispatch', at('22:20'), { departmentId: departments[0] });
		await move(r1.id, 'return', at('22:30'));
		await move(r1.id, 'redispatch', at('22:40'), { departmentId: departments[1] });
		await move(r1.id, 'accept', at('23:50'));
		await move(r1.id, 'escalate', at('00:05', '2026-11-21'), { departments: [departments[0], departments[2]] });
		await move(r1.id, 'checkin', at('00:10', '2026-11-21'), { departmentId: departments[0] });
		await move(r1.id, 'checkin', at('00:12', '2026-11-21'), { departmentId: departments[2] });
		await move(r1.id, 'resolve', at('00:20', '2026-11-21'));
		await move(r1.id, 'evaluate', at('00:25', '2026-11-21'), { satisfaction: 'unsatisfied', solved: false });
		await move(r1.id, 'reopen', at('00:30', '2026-11-21'));
		await move(r1.id, 'accept', at('00:35', '2026-11-21'));
		await move(r1.id, 'resolve', at('00:40', '2026-11-21'));
		await move(r1.id, 'evaluate', at('00:45', '2026-11-21'), { satisfaction: 'satisfied', solved: true });
		await move(r1.id, 'close', at('00:50', '2026-11-21'));

		// open requests of the seed moved on: dispatched ones accepted, accepted ones resolved and evaluated
		const dispatched = await db.sql<{ id: number }>`SELECT id FROM requests WHERE status = 'dispatched' ORDER BY id LIMIT 3`;
		for (const { id } of dispatched) await move(id, 'accept', at('23:55'));
		const accepted = await db.sql<{ id: number }>`SELECT id FROM requests WHERE status = 'accepted' ORDER BY id LIMIT 3`;
		for (const { id } of accepted) {
			await move(id, 'resolve', at('00:15', '2026-11-21'));
			await move(id, 'evaluate', at('00:20', '2026-11-21'), { satisfaction: 'basic', solved: true });
		}
		// an extension (a later resolve deadline, into today), and a request moved to another grid and department
		const [late] = await db.sql<{ id: number }>`SELECT id FROM requests WHERE status = 'accepted' AND resolve_deadline < ${SEEDED} ORDER BY id LIMIT 1`;
		if (late) await db.sql`UPDATE requests SET resolve_deadline = ${at('00:30', '2026-11-21')} WHERE id = ${late.id}`;
		// 延期 as the product does it (issue 19): asked, then approved as a move that moves the deadline
		const [ext] = await db.sql<{ id: number }>`SELECT id FROM requests WHERE status = 'accepted' AND resolve_deadline < ${SEEDED} AND id <> ${late?.id ?? 0} ORDER BY id LIMIT 1`;
		if (ext) {
			await askExtension(db, actor, ext.id, { days: 5, reason: '等待配件' }, at('23:00'));
			await move(ext.id, 'extend', at('00:35', '2026-11-21'));
			await move(ext.id, 'resolve', at('00:45', '2026-11-21'));
		}
		// 立案审核: a returned request voided, a reported one merged into an open original of its kind
		const r2 = await reportRequest(db, actor, parseNewRequest({ categoryCode: 'property.elevator', description: '电梯异响', lon: g.lon, lat: g.lat }), null, null, at('22:50'));
		await move(r2.id, 'dispatch', at('22:55'), { departmentId: departments[0] });
		await move(r2.id, 'return', at('23:05'));
		await move(r2.id, 'void', at('00:06', '2026-11-21'));
		const r3 = await reportRequest(db, actor, parseNewRequest({ categoryCode: 'property.elevator', description: '电梯故障（重复）', lon: g.lon, lat: g.lat }), null, null, at('23:20'));
		const [original] = await db.sql<{ id: number }>`SELECT id FROM requests WHERE status IN ('accepted', 'escalated', 'dispatched') AND kind = 'request' ORDER BY id LIMIT 1`;
		await move(r3.id, 'merge', at('00:07', '2026-11-21'), { into: original.id });
		const [moved] = await db.sql<{ id: number }>`SELECT id FROM requests WHERE status = 'closed' AND grid_code <> ${areas[3].code} ORDER BY id LIMIT 1`;
		await db.sql`UPDATE requests SET grid_code = ${areas[3].code}, department_id = ${departments[2]} WHERE id = ${moved.id}`;
		// door-knocks bring households' last visits forward
		await db.sql`UPDATE households SET last_visit_at = ${at('00:30', '2026-11-21')} WHERE id IN (SELECT id FROM households ORDER BY id LIMIT 25)`;
		await db.sql`UPDATE households SET last_visit_at = NULL WHERE id IN (SELECT id FROM households WHERE last_visit_at IS NOT NULL ORDER BY id DESC LIMIT 5)`;

		// 隐患整改率 (0040): a hazard found and closed in time before midnight, one added and deleted,
		// one closed late, one whose deadline moves past midnight (today's passed part is counted
		// live), one moved to another grid, one reopened after its rectification
		const [b] = await db.sql<{ id: number }>`SELECT id FROM buildings WHERE grid_code = ${areas[3].code} ORDER BY id LIMIT 1`;
		const hazard = async (code: string, deadline: Date) => (await db.sql<{ id: number }>`INSERT INTO hazards (code, type, severity, status, title, grid_code,
			building_id, found_at, rectify_deadline, geom) VALUES (${code}, 'gas', 3, 'open', '燃气管道老化', ${areas[3].code}, ${b?.id ?? null}, ${at('20:00')},
			${deadline}, ST_SetSRID(ST_MakePoint(${g.lon}, ${g.lat}), 4326)) RETURNING id`)[0].id;
		const h1 = await hazard('HZ-ROLLUP-1', at('23:00'));
		await db.sql`UPDATE hazards SET status = 'rectifying' WHERE id = ${h1}`;
		await db.sql`UPDATE hazards SET status = 'rectified', rectified_at = ${at('22:30')} WHERE id = ${h1}`;
		await db.sql`UPDATE hazards SET status = 'verified', reinspected_at = ${at('22:45')} WHERE id = ${h1}`;
		await db.sql`DELETE FROM hazards WHERE id = ${await hazard('HZ-ROLLUP-2', at('21:00'))}`;
		const [rectified] = await db.sql<{ id: number }>`SELECT id FROM hazards WHERE status = 'rectified' ORDER BY id LIMIT 2`;
		if (rectified) await db.sql`UPDATE hazards SET status = 'verified', reinspected_at = ${at('23:10')} WHERE id = ${rectified.id}`;
		const [overdueHazard] = await db.sql<{ id: number }>`SELECT id FROM hazards WHERE status IN ('open', 'rectifying') AND rectify_deadline < ${SEEDED} ORDER BY id LIMIT 1`;
		await db.sql`UPDATE hazards SET rectify_deadline = ${at('00:20', '2026-11-21')} WHERE id = ${overdueHazard.id}`;
		const [elsewhere] = await db.sql<{ id: number }>`SELECT id FROM hazards WHERE grid_code <> ${areas[3].code} AND rectify_deadline > ${new Date(SEEDED.getTime() - 20 * DAY)} ORDER BY id LIMIT 1`;
		await db.sql`UPDATE hazards SET grid_code = ${areas[3].code} WHERE id = ${elsewhere.id}`;
		const [again] = await db.sql<{ id: number }>`SELECT id FROM hazards WHERE status = 'rectified' ORDER BY id DESC LIMIT 1`;
		if (again) await db.sql`UPDATE hazards SET status = 'rectifying' WHERE id = ${again.id}`;

		expect(await compareAll(db, AFTER)).toBe(20);

		// what the triggers kept equals what a rebuild counts from scratch
		const snapshot = async () => [
			await db.sql`SELECT * FROM kpi_daily ORDER BY day, grid_code, department_id, kind`,
			await db.sql`SELECT * FROM kpi_daily_street ORDER BY day, street_code, department_id, kind`,
			await db.sql`SELECT * FROM kpi_monthly_street ORDER BY month, street_code, department_id, kind`,
			await db.sql`SELECT * FROM kpi_household_daily ORDER BY grid_code, day`,
			await db.sql`SELECT * FROM kpi_household_daily_street ORDER BY street_code, day`,
			await db.sql`SELECT * FROM kpi_hazard_daily ORDER BY grid_code, day`,
			await db.sql`SELECT * FROM kpi_hazard_daily_street ORDER BY street_code, day`
		];
		const kept = await snapshot();
		await db.exec('SELECT kpi_rollups_rebuild()');
		expect(kept).toEqual(await snapshot());
		expect(kept[0].length).toBeGreaterThan(100);
		// the months were kept from the street rows move by move, as a rebuild counts them (0036)
		expect(kept[2].length).toBeGreaterThan(10);
		expect(kept[5].length).toBeGreaterThan(10);
	}, 600_000);

	it('a leader reads the rollups of their jurisdiction only (row-level security) and gets the direct figures', async () => {
		const db = getDb();
		const as = asUser(db, leader);
		const s: KpiScope = { area: leader.area, department: null, pairing: null, ...periods(AFTER).year };
		expect(await rollupsApply(as, s)).toBe(true);
		// the district as a whole is not the leader's to read whole: counted directly (their rows)
		expect(await rollupsApply(as, { ...s, area: null })).toBe(false);
		expect(figures(await computeKpis(as, s, { now: AFTER, source: 'rollups' }))).toEqual(figures(await computeKpis(as, s, { now: AFTER, source: 'direct' })));
		const [{ outside }] = await as.sql<{ outside: number }>`SELECT count(*) AS outside FROM kpi_daily WHERE grid_code NOT LIKE ${leader.area + '%'}`;
		const [{ inside }] = await as.sql<{ inside: number }>`SELECT count(*) AS inside FROM kpi_daily`;
		const [{ otherStreets }] = await as.sql<{ otherStreets: number }>`SELECT count(*) AS "otherStreets" FROM kpi_daily_street WHERE street_code NOT LIKE ${leader.area.slice(0, 9) + '%'}`;
		expect(otherStreets).toBe(0);
		expect(outside).toBe(0);
		expect(inside).toBeGreaterThan(0);
		await expect(as.sql`SELECT * FROM kpi_request_facts LIMIT 1`).rejects.toThrow();
	}, 120_000);

	it('a grid manager on their own grid and a department on its own work read the rollups and get the direct figures; another grid is counted directly', async () => {
		const db = getDb();
		const year = periods(AFTER).year;
		const [gm] = await db.sql<{ id: number; grid: string }>`SELECT u.id, min(g.grid_code) AS grid FROM users u JOIN user_grids g ON g.user_id = u.id
			WHERE u.role = 'grid_manager' AND u.active GROUP BY u.id ORDER BY u.id LIMIT 1`;
		const [staff] = await db.sql<{ id: number; department: number }>`SELECT id, department_id AS department FROM users
			WHERE role = 'department_staff' AND active AND department_id IS NOT NULL ORDER BY id LIMIT 1`;
		const [other] = await db.sql<{ code: string }>`SELECT code FROM grids WHERE code <> ${gm.grid} ORDER BY code LIMIT 1`;
		const asGm = asUser(db, { id: gm.id, role: 'grid_manager' });
		const own: KpiScope = { area: gm.grid, department: null, pairing: null, ...year };
		expect(await rollupsApply(asGm, own)).toBe(true);
		expect(await rollupsApply(asGm, { ...own, area: other.code })).toBe(false);
		expect(figures(await computeKpis(asGm, own, { now: AFTER, source: 'rollups' }))).toEqual(figures(await computeKpis(asGm, own, { now: AFTER, source: 'direct' })));
		const asStaff = asUser(db, { id: staff.id, role: 'department_staff' });
		const work: KpiScope = { area: null, department: staff.department, pairing: null, ...year };
		expect(await rollupsApply(asStaff, work)).toBe(true);
		// without their department named they read also what was whistled to them: counted directly
		expect(await rollupsApply(asStaff, { ...work, department: null })).toBe(false);
		const staffFigures = figures(await computeKpis(asStaff, work, { now: AFTER, source: 'rollups' }));
		expect(staffFigures).toEqual(figures(await computeKpis(asStaff, work, { now: AFTER, source: 'direct' })));
		// and the same as anyone who sees everything asks for that department
		expect(staffFigures).toEqual(figures(await computeKpis(db, work, { now: AFTER, source: 'direct' })));
	}, 120_000);

	it('a KPI report is cached per scope and data version: shared where the rollups answer it, counted again after any write', async () => {
		const db = getDb();
		const targets = await kpiTargets(db);
		const s: KpiScope = { area: leader.area, department: null, pairing: null, ...lastDays(30, new Date()) };
		const o = { visitDays: 90, targets };
		const asLeader = asUser(db, leader);
		const first = await cachedKpiReport(db, s, o);
		expect(await cachedKpiReport(db, s, o)).toBe(first);
		// the leader sees the area whole: the admin's report is theirs too, not counted again
		expect(await cachedKpiReport(asLeader, s, o)).toBe(first);
		// the whole district is not the leader's to see: their own report, of their rows only
		const district = await cachedKpiReport(asLeader, { ...s, area: null }, o);
		expect(district).not.toBe(await cachedKpiReport(db, { ...s, area: null }, o));
		expect(district.total.open).toBe(first.total.open);

		// a door-knock's visit and a new request move the version on; the next look counts them
		const before = await kpiVersion(db);
		const [h] = await db.sql<{ id: number; grid: string }>`SELECT id, grid_code AS grid FROM households
			WHERE grid_code LIKE ${leader.area + '%'} AND (last_visit_at IS NULL OR last_visit_at < now() - interval '200 days') ORDER BY id LIMIT 1`;
		await db.sql`UPDATE households SET last_visit_at = now() WHERE id = ${h.id}`;
		expect(await kpiVersion(db)).not.toBe(before);
		const visited = await cachedKpiReport(db, s, o);
		expect(visited).not.toBe(first);
		const coverage = (r: typeof first) => r.total.values.find((v) => v.key === 'visit_coverage')!.num;
		expect(coverage(visited)).toBe(coverage(first) + 1);
		const [g] = await db.sql<{ lon: number; lat: number }>`SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids WHERE code = ${h.grid}`;
		const [admin] = await db.sql<{ id: number }>`SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1`;
		await reportRequest(db, { id: admin.id, role: 'admin', departmentId: null }, parseNewRequest({ categoryCode: 'property.service', description: '缓存测试', lon: g.lon, lat: g.lat }), null, null);
		const reported = await cachedKpiReport(asLeader, s, o);
		expect(reported.total.open).toBe(visited.total.open + 1);
		// what the cache serves is what a count from scratch says
		expect(figures(reported.total)).toEqual(figures(await computeKpis(db, s, { visitDays: 90, targets, source: 'direct' })));
	}, 120_000);

	it('a past period’s 入户走访覆盖率 is counted once and kept, until a door-knock dated inside its window is written (an offline phone syncing)', async () => {
		const db = getDb();
		const ended = periods(AFTER).ended;
		const s: KpiScope = { area: null, department: null, pairing: null, ...ended };
		const visited = async () => (await computeKpis(db, s, { now: AFTER, source: 'rollups' })).values.find((v) => v.key === 'visit_coverage')!.num;
		const first = await visited();
		const version = async () => (await db.sql<{ v: string }>`SELECT last_value || '.' || is_called AS v FROM data_version_knocks_past`)[0].v;
		const before = await version();
		// a knock recorded as it happens (dated now) leaves past windows, and the counter, alone
		const [h] = await db.sql<{ id: number }>`SELECT h.id FROM households h WHERE NOT EXISTS (SELECT 1 FROM door_knocks k WHERE k.household_id = h.id
			AND k.visited_at > ${new Date(ended.to.getTime() - 90 * DAY)} AND k.visited_at <= ${ended.to}) ORDER BY h.id LIMIT 1`;
		await db.sql`INSERT INTO door_knocks (household_id, visited_at, met) VALUES (${h.id}, now(), 'head')`;
		expect(await version()).toBe(before);
		expect(await visited()).toBe(first);
		// one dated inside the window, synced late: the counter moves and the next look counts it
		await db.sql`INSERT INTO door_knocks (household_id, visited_at, met) VALUES (${h.id}, ${new Date(ended.to.getTime() - 2 * DAY)}, 'head')`;
		expect(await version()).not.toBe(before);
		expect(await visited()).toBe(first + 1);
		expect(figures(await computeKpis(db, s, { now: AFTER, source: 'rollups' }))).toEqual(figures(await computeKpis(db, s, { now: AFTER, source: 'direct' })));
	}, 120_000);
});
