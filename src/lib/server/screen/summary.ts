// What the big screen shows, as aggregates only: KPIs (now and the previous period), a 14-day trend,
// street and department rankings, alert lists, open-request density per grid. Every query here
// selects counts, codes, category/area/department names, deadlines and statuses; none reads a
// household, a reporter, an address, a title or a description, so no personal field can leak.
import { hotGridCodes } from '../hotspots/analysis';
import { parseHotspotFilter } from '../hotspots/filters';
import { HAZARD_TYPE } from '../../domain/labels';
import { KPI_BY_KEY, kpiValue, overallRag, rankScore, type KpiTargets, type KpiValue } from '../../domain/kpi';
import type { Queryable } from '../db/client';
import { computeKpis, computeKpisAndChildren, type KpiOptions } from '../kpi/kpi';
import { kpiTargets } from '../kpi/targets';
import { rollupDepartmentCounts, rollupsApply } from '../kpi/rollups';
import { HAZARD_UNRECTIFIED_SQL, kpiCountColumns, kpiCountJoins, OPEN_SQL, overdueSql, REQUEST_KPIS, scope, stageDeadlineSql } from '../db/fragments';
import { and, join } from '../db/sql';
import { OPEN_STATUSES } from '../../domain/workflow';
import { latestEventId } from '../live/hub';
import { lastDays } from '../../domain/calendar';

/** KPIs look back this many days; the trend compares with the period before */
export const PERIOD_DAYS = 30;
export const TREND_DAYS = 14;
const ALERTS = 12;

export interface ScreenKpi { key: string; label: string; kind: 'rate' | 'count'; value: number | null; prev: number | null; rag: string; num: number; den: number | null }
export interface RankRow { code: string; name: string; score: number; rag: string; open: number; overdue: number; close: number | null; satisfaction: number | null; whistle: number | null; ontime: number | null }
export interface Alert { kind: 'overdue' | 'whistle' | 'hazard'; code: string; text: string; place: string; hours: number }
export interface ScreenSummary {
	area: { code: string; name: string; level: string };
	generatedAt: string;
	/** live_events id the figures include: the page's SSE stream starts after it */
	lastEventId: number;
	kpis: ScreenKpi[];
	open: number;
	today: { reported: number; resolved: number };
	trend: { day: string; reported: number; resolved: number }[];
	streets: RankRow[];
	departments: RankRow[];
	alerts: { overdue: number; whistle: number; hazard: number; items: Alert[] };
}

const val = (vs: KpiValue[], k: string) => vs.find((v) => v.key === k)?.value ?? null;

function rankRow(code: string, name: string, vs: KpiValue[], open: number, rag: string): RankRow {
	return {
		code, name, rag, open, score: rankScore(vs, open),
		overdue: vs.find((v) => v.key === 'overdue')?.num ?? 0,
		close: val(vs, 'close_rate'), satisfaction: val(vs, 'satisfaction_rate'), whistle: val(vs, 'whistle_rate'), ontime: val(vs, 'ontime_rate')
	};
}

/** source: as KpiOptions.source (the tests and the bench compare the rollups with the direct counts). */
export async function screenSummary(db: Queryable, areaCode: string | null, now = new Date(), source: KpiOptions['source'] = 'auto'): Promise<ScreenSummary> {
	const lastEventId = await latestEventId(db);
	const [area] = areaCode
		? await db.sql<{ code: string; name: string; level: string }>`SELECT code, name, level FROM areas WHERE code = ${areaCode}`
		: await db.sql<{ code: string; name: string; level: string }>`SELECT code, name, level FROM areas WHERE level = 'district' ORDER BY code LIMIT 1`;
	if (!area) throw new Error(`screenSummary: no area ${areaCode ?? '(district)'}`);
	// 近30天 as /kpi counts it: 30 Beijing calendar days, today included; the one before for the arrows
	const { from, to } = lastDays(PERIOD_DAYS, now);
	const s = { area: area.code, department: null, pairing: null, from, to };
	// the targets an admin set colour the screen as they colour /kpi
	const targets = await kpiTargets(db);
	// the parts are independent: side by side on PostgreSQL's pool they take the slowest one's
	// time, not the sum (PGlite, one connection, runs them in turn as before)
	const [{ kpis: cur, children }, prev, recent, departments, alertList] = await Promise.all([
		// the area's KPIs and its streets' (communities') from one count; a community shows no ranking
		area.level === 'community' ? computeKpis(db, s, { now, targets, source }).then((kpis) => ({ kpis, children: [] })) : computeKpisAndChildren(db, s, { now, targets, source }),
		// the previous period's 超期数 is never shown (no arrow for it): not read from the history
		computeKpis(db, { ...s, ...lastDays(PERIOD_DAYS, new Date(from.getTime() - 1)) }, { now, targets, source, overdue: false }),
		trend(db, area.code, now),
		departmentRanking(db, area.code, from, to, now, targets, source),
		alerts(db, area.code, now)
	]);
	const kpis = cur.values.map((v) => ({
		key: v.key, label: KPI_BY_KEY[v.key].label, kind: KPI_BY_KEY[v.key].kind, value: v.value, num: v.num, den: v.den, rag: v.rag,
		prev: v.key === 'overdue' ? null : val(prev.values, v.key)
	}));
	return {
		area, generatedAt: now.toISOString(), lastEventId, kpis, open: cur.open,
		...recent,
		streets: children.map((r) => rankRow(r.code, r.name, r.values, r.open, r.rag)),
		departments,
		alerts: alertList
	};
}

async function trend(db: Queryable, area: string, now: Date) {
	// days in China Standard Time: a command centre's "today" starts at local midnight. The trend
	// holds the TREND_DAYS whole days before today; today, still running, is shown on its own (a
	// partial last day drew a dive to near zero every morning)
	const rows = await db.sql<{ day: string; reported: number; resolved: number }>`
		WITH days AS (SELECT generate_series(0, ${TREND_DAYS}) AS n),
		bounds AS (SELECT n, (date_trunc('day', ${now}::timestamptz AT TIME ZONE 'Asia/Shanghai') - make_interval(days => n)) AT TIME ZONE 'Asia/Shanghai' AS d0 FROM days)
		SELECT to_char(b.d0 AT TIME ZONE 'Asia/Shanghai', 'MM-DD') AS day,
			(SELECT count(*) FROM requests r WHERE r.grid_code LIKE ${area + '%'} AND r.reported_at >= b.d0 AND r.reported_at < b.d0 + interval '1 day') AS reported,
			(SELECT count(*) FROM requests r WHERE r.grid_code LIKE ${area + '%'} AND r.resolved_at >= b.d0 AND r.resolved_at < b.d0 + interval '1 day') AS resolved
		FROM bounds b ORDER BY b.d0`;
	const last = rows[rows.length - 1] ?? { reported: 0, resolved: 0 };
	return { trend: rows.slice(0, -1), today: { reported: Number(last.reported), resolved: Number(last.resolved) } };
}

/** Departments ranked by the request KPIs of db/fragments.ts, grouped by the responsible department. */
async function departmentRanking(db: Queryable, area: string, from: Date, to: Date, now: Date, targets: KpiTargets, source: KpiOptions['source']): Promise<RankRow[]> {
	const like = area + '%';
	const rolled = source !== 'direct' && (await rollupsApply(db, { area, department: null, pairing: null, from, to }));
	if (source === 'rollups' && !rolled) throw new Error('screen: the rollups cannot answer this scope');
	const rows = rolled ? await departmentRows(db, area, from, to, now) : await db.sql`SELECT d.id, d.name, ${join(kpiCountColumns(from, to, now))}, count(*) FILTER (WHERE r.status IN ${OPEN_SQL}) AS open,
		(SELECT count(*) FROM whistle_summons s JOIN requests r2 ON r2.id = s.request_id WHERE s.department_id = d.id AND r2.grid_code LIKE ${like}
			AND s.summoned_at >= ${from} AND s.summoned_at < ${now}) AS whistle_rate_den,
		(SELECT count(*) FROM whistle_summons s JOIN requests r2 ON r2.id = s.request_id WHERE s.department_id = d.id AND r2.grid_code LIKE ${like}
			AND s.summoned_at >= ${from} AND s.summoned_at < ${now} AND s.checked_in_at <= s.deadline) AS whistle_rate_num
		FROM departments d JOIN requests r ON r.department_id = d.id ${kpiCountJoins(from, to)} WHERE ${and(scope({ area, department: null, pairing: null }))} GROUP BY d.id, d.name`;
	return (rows as Record<string, any>[])
		.map((c) => {
			const vs = [...REQUEST_KPIS, 'whistle_rate' as const].map((k) => kpiValue(k, Number(c[`${k}_num`] ?? 0), Number(c[`${k}_den`] ?? 0), { targets, households: null }));
			return rankRow(String(c.id), c.name, vs, Number(c.open), overallRag(vs));
		})
		.filter((r) => r.open > 0 || r.close !== null)
		.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
}

/** The department ranking's counts from the rollups, with each department's name. */
async function departmentRows(db: Queryable, area: string, from: Date, to: Date, now: Date): Promise<Record<string, any>[]> {
	const counts = await rollupDepartmentCounts(db, area, from, to, now);
	const names = await db.sql<{ id: number; name: string }>`SELECT id, name FROM departments WHERE id = ANY(${[...counts.keys()].map(Number)}::int[])`;
	// a department with counts in the period but nothing open: open 0, as the direct count says
	return names.map((d) => ({ open: 0, ...counts.get(String(d.id)), id: d.id, name: d.name }));
}

async function alerts(db: Queryable, area: string, now: Date) {
	const like = area + '%';
	const overdue = await db.sql<{ code: string; cat: string; place: string; hours: number; n: number }>`
		SELECT r.code, c.name AS cat, g.name AS place,
			extract(epoch FROM (${now}::timestamptz - ${stageDeadlineSql()})) / 3600 AS hours,
			count(*) OVER () AS n
		FROM requests r JOIN categories c ON c.code = r.category_code JOIN grids g ON g.code = r.grid_code
		-- status IN OPEN outside overdueSql's coalesce: the planner reads requests_open_grid_idx (0038)
		WHERE r.status IN ${OPEN_SQL} AND r.grid_code LIKE ${like} AND ${overdueSql(now)}
		ORDER BY hours DESC LIMIT ${ALERTS}`;
	const whistles = await db.sql<{ code: string; dept: string; place: string; hours: number; n: number }>`
		SELECT r.code, d.name AS dept, g.name AS place, extract(epoch FROM ${now}::timestamptz - s.deadline) / 3600 AS hours, count(*) OVER () AS n
		FROM whistle_summons s JOIN requests r ON r.id = s.request_id JOIN departments d ON d.id = s.department_id JOIN grids g ON g.code = r.grid_code
		WHERE s.checked_in_at IS NULL AND r.status = 'escalated' AND r.grid_code LIKE ${like}
		ORDER BY s.deadline LIMIT ${ALERTS}`;
	const hazards = await db.sql<{ code: string; type: string; severity: number; place: string; hours: number; n: number }>`
		SELECT h.code, h.type, h.severity, g.name AS place, extract(epoch FROM ${now}::timestamptz - h.rectify_deadline) / 3600 AS hours, count(*) OVER () AS n
		FROM hazards h JOIN grids g ON g.code = h.grid_code
		WHERE h.severity >= 3 AND h.status IN ${HAZARD_UNRECTIFIED_SQL} AND h.grid_code LIKE ${like}
		ORDER BY h.severity DESC, h.rectify_deadline LIMIT ${ALERTS}`;
	const items: Alert[] = [];
	const h = (x: number) => Math.round(Number(x));
	// interleave the three lists so each kind reaches the ticker
	for (let i = 0; i < ALERTS; i++) {
		const o = overdue[i], wh = whistles[i], hz = hazards[i];
		if (o) items.push({ kind: 'overdue', code: o.code, text: `${o.cat} 超期`, place: o.place, hours: h(o.hours) });
		if (wh) items.push({ kind: 'whistle', code: wh.code, text: `吹哨待报到：${wh.dept}`, place: wh.place, hours: h(wh.hours) });
		if (hz) items.push({ kind: 'hazard', code: hz.code, text: `${hz.severity >= 4 ? '特别重大' : '重大'}隐患：${HAZARD_TYPE[hz.type] ?? hz.type}`, place: hz.place, hours: h(hz.hours) });
	}
	return { overdue: Number(overdue[0]?.n ?? 0), whistle: Number(whistles[0]?.n ?? 0), hazard: Number(hazards[0]?.n ?? 0), items };
}

/** Open requests per grid and per 100 households: the map's choropleth. */
export async function gridDensity(db: Queryable): Promise<{ code: string; open: number; per100: number | null }[]> {
	const rows = await db.sql<{ code: string; open: number; households: number }>`
		SELECT g.code,
			(SELECT count(*) FROM requests r WHERE r.grid_code = g.code AND r.status = ANY(${[...OPEN_STATUSES]})) AS open,
			(SELECT count(*) FROM households h WHERE h.grid_code = g.code) AS households
		FROM grids g ORDER BY g.code`;
	return rows.map((r) => ({ code: r.code, open: Number(r.open), per100: Number(r.households) > 0 ? Math.round((Number(r.open) / Number(r.households)) * 10000) / 100 : null }));
}

/**
 * Grids that are statistically hot for requests of the last 90 days (Gi*, 95 % or more after FDR
 * correction), as /hotspots finds them with its default settings; without its clusters and trends.
 */
export async function gridHotspots(db: Queryable, now = new Date()): Promise<string[]> {
	return hotGridCodes(db, parseHotspotFilter(new URLSearchParams(), new Set()), now);
}
