// The KPI counts read from the daily rollups of db/migrations/0024_rollups.sql (kpi_daily,
// kpi_household_daily) and 0040 (kpi_hazard_daily) instead of every request of the scope: a sum
// over (day × grid × department × kind) rows, plus live queries on indexed rows for what depends
// on "now" — open requests, 超期数, and today's "already due" cut of 办结率/化解率/隐患整改率. The counts come out under the
// same names as the direct ones (kpi.ts), and tests/integration/rollups.test.ts holds them equal.
import { startOfLocalDay } from '../../domain/calendar';
import { localDate } from '../../domain/time';
import { scopeOf, systemOf } from '../access/userdb';
import { perDatabase, TtlCache } from '../cache';
import { sequenceVersion } from '../queries/versions';
import type { Queryable } from '../db/client';
import { OPEN_SQL, requestKpiSql, scope } from '../db/fragments';
import { and, sql, type Fragment } from '../db/sql';
import { hazardKpiSql } from './fragments';
import { lastDays, wholeMonths } from '../../domain/calendar';

type Counts = Record<string, number>;
export interface RollupScope {
	area: string | null;
	department: number | null;
	pairing: number | null;
	kind?: string | null;
	from: Date;
	to: Date;
}

const isMidnight = (at: Date) => startOfLocalDay(at).getTime() === at.getTime();

/**
 * Whether the rollups answer this scope exactly: the period is whole Beijing days, and the reader
 * sees every row the scope counts (a rollup row counts requests, not the ones one may see). So:
 * admins, the big screen and the server's own reads, anything; a leader, an area within their
 * jurisdiction; a grid manager, one of their own grids (a grid is a leaf: they see all of it);
 * department staff, their own department's work (they read every request of it and every summons
 * it received; households and hazards are no department's, kpi.ts shows none for it).
 * Anything else is counted directly. When this says yes, the figures are the same whoever asks
 * (kpi/cache.ts shares them between readers on that ground).
 */
export async function rollupsApply(db: Queryable, s: RollupScope): Promise<boolean> {
	if (!isMidnight(s.from) || !isMidnight(s.to)) return false;
	if (scopeOf(db) === 'all') return true;
	const [me] = await db.sql<{ prefix: string | null; grids: string[]; department: number | null }>`SELECT app_grid_prefix() AS prefix,
		app_grid_codes() AS grids, app_department_id() AS department`;
	if (me.prefix !== null && (s.area ?? '').startsWith(me.prefix)) return true;
	if (s.area && me.grids.includes(s.area)) return true;
	return me.department !== null && s.department === me.department;
}

/** GROUP BY key for child areas, or '' for one total. */
const groupKey = (len: number | null, col: Fragment) => (len ? sql`left(${col}, ${len})` : sql`''`);

/** Rows of counts summed by their `code` (into `into`, when given). */
export function byCode(rows: Counts[], into = new Map<string, Counts>()): Map<string, Counts> {
	for (const r of rows) {
		const code = String(r.code);
		const c = into.get(code) ?? {};
		for (const [k, v] of Object.entries(r)) if (k !== 'code') c[k] = (c[k] ?? 0) + Number(v ?? 0);
		into.set(code, c);
	}
	return into;
}

/** The scope's conditions on `requests r` or `kpi_daily r` (both have grid_code, department_id, kind). */
function where(s: RollupScope): Fragment[] {
	const w = scope(s);
	if (s.kind) w.push(sql`r.kind = ${s.kind}`);
	return w;
}

/**
 * Every request KPI's "<key>_den"/"<key>_num", 吹哨响应率's, and `open`, for the scope and the
 * whole-day period [s.from, s.to) at `now`, optionally by child area (len: its code length).
 */
export const rollupRequestCounts = (db: Queryable, s: RollupScope, now: Date, len: number | null, overdue = true): Promise<Map<string, Counts>> =>
	sums(db, s, now, groupKey(len, sql`r.grid_code`), groupKey(len, sql`r.grid_code`), overdue, !len || len <= STREET_LEN);

/**
 * The same counts by department (the big screen's department ranking): request KPIs by the
 * responsible department, 吹哨响应率 by the summoned one; requests without a department left out.
 */
export async function rollupDepartmentCounts(db: Queryable, area: string, from: Date, to: Date, now: Date): Promise<Map<string, Counts>> {
	const all = await sums(db, { area, department: null, pairing: null, from, to }, now, sql`r.department_id`, sql`coalesce(r.department_id, 0)`, true, true);
	all.delete('0');
	return all;
}

/** A street's code is the first 9 digits of its grids' codes. */
const STREET_LEN = 9;

/** The per-street rollup rows answer when neither the scope nor the grouping goes below a street and no 包联 set is asked for. */
const readsStreets = (s: RollupScope, len: number | null) => (!len || len <= STREET_LEN) && (!s.area || s.area.length <= STREET_LEN) && !s.pairing;

/**
 * The rollup rows for the scope and the days [fromDay, toDay): per street when neither the scope
 * nor the grouping goes below a street and no 包联 set (community codes) is asked for — whole
 * months from kpi_monthly_street (0036; a month row reads as its first day) and the days at either
 * end from kpi_daily_street, both with street_code read as grid_code — else per grid (kpi_daily).
 * A month is read whole only when it ends by `dueCut`, the day before which 办结率/化解率 count
 * deadlines as due (sums below): the days from that one on keep their own day.
 */
function rollupRows(s: RollupScope, streetGrouping: boolean, fromDay: string, toDay: string, dueCut: string): Fragment {
	const byStreet = streetGrouping && (!s.area || s.area.length <= STREET_LEN) && !s.pairing;
	if (!byStreet) return sql`(SELECT * FROM kpi_daily WHERE day >= ${fromDay} AND day < ${toDay})`;
	const days = (from: string, to: string) => sql`SELECT street_code AS grid_code, * FROM kpi_daily_street WHERE day >= ${from} AND day < ${to}`;
	const months = wholeMonths(fromDay, dueCut < toDay ? dueCut : toDay);
	if (!months) return sql`(${days(fromDay, toDay)})`;
	return sql`(${days(fromDay, months.from)}
		UNION ALL SELECT street_code AS grid_code, * FROM kpi_monthly_street WHERE month >= ${months.from} AND month < ${months.to}
		UNION ALL ${days(months.to, toDay)})`;
}

/**
 * key: the grouping over the rollup rows `r`; liveKey: the same over `requests r`; streetGrouping:
 * key reads no more of grid_code than a street's code.
 */
async function sums(db: Queryable, s: RollupScope, now: Date, key: Fragment, liveKey: Fragment, overdueWanted: boolean, streetGrouping: boolean): Promise<Map<string, Counts>> {
	const fromDay = localDate(s.from), toDay = localDate(s.to);
	// 办结率/化解率 count deadlines already due: whole days before today from the rollup, today's
	// part up to now live (and nothing of a period that has not begun)
	const today = startOfLocalDay(now);
	const dueCut = s.to <= now ? toDay : localDate(today);
	const w = and(where(s));
	// a department filter keeps the rows of that department: its requests' counts and the
	// summons it received (吹哨响应率 sits on the summoned department's row), as kpi.ts filters them
	const counts = byCode(await db.sql<Counts>`SELECT ${key} AS code,
		sum(r.accept_den) AS accept_rate_den, sum(r.accept_num) AS accept_rate_num,
		coalesce(sum(r.close_den) FILTER (WHERE r.day < ${dueCut}), 0) AS close_rate_den,
		coalesce(sum(r.close_num) FILTER (WHERE r.day < ${dueCut}), 0) AS close_rate_num,
		sum(r.ontime_den) AS ontime_rate_den, sum(r.ontime_num) AS ontime_rate_num,
		sum(r.eval_n) AS solved_rate_den, sum(r.solved_n) AS solved_rate_num,
		sum(r.eval_n) AS satisfaction_rate_den, sum(r.satisfied_n) AS satisfaction_rate_num,
		sum(r.final_den) AS final_satisfaction_rate_den, sum(r.final_num) AS final_satisfaction_rate_num,
		coalesce(sum(r.mediation_den) FILTER (WHERE r.day < ${dueCut}), 0) AS mediation_rate_den,
		coalesce(sum(r.mediation_num) FILTER (WHERE r.day < ${dueCut}), 0) AS mediation_rate_num,
		sum(r.whistle_den) AS whistle_rate_den, sum(r.whistle_num) AS whistle_rate_num
		FROM ${rollupRows(s, streetGrouping, fromDay, toDay, dueCut)} r WHERE ${w} GROUP BY 1`);

	// today's part of 办结率/化解率, when the period reaches into today (requests_resolve_deadline_idx)
	const liveFrom = new Date(Math.max(s.from.getTime(), today.getTime()));
	if (s.to > now && liveFrom < now) {
		const [closeDen, closeNum] = requestKpiSql('close_rate', liveFrom, s.to, now);
		const [mediationDen, mediationNum] = requestKpiSql('mediation_rate', liveFrom, s.to, now);
		byCode(await db.sql<Counts>`SELECT ${liveKey} AS code, count(*) AS close_rate_den,
			count(*) FILTER (WHERE ${closeNum}) AS close_rate_num, count(*) FILTER (WHERE ${mediationDen}) AS mediation_rate_den,
			count(*) FILTER (WHERE ${mediationDen} AND ${mediationNum}) AS mediation_rate_num
			FROM requests r WHERE ${closeDen} AND ${w} GROUP BY 1`, counts);
	}

	// open and 超期 now: the open requests only (requests_open_idx)
	const running = !(s.to < now);
	const [overdue] = requestKpiSql('overdue', s.from, s.to, now);
	byCode(await db.sql<Counts>`SELECT ${liveKey} AS code, count(*) AS open
		${running ? sql`, count(*) FILTER (WHERE ${overdue}) AS overdue_den, count(*) FILTER (WHERE ${overdue}) AS overdue_num` : sql``}
		FROM requests r WHERE r.status IN ${OPEN_SQL} AND ${w} GROUP BY 1`, counts);
	// 超期 at the end of a past period, from the request history (as the direct count)
	if (!running && overdueWanted) {
		byCode(await db.sql<Counts>`SELECT ${liveKey} AS code, count(*) AS overdue_den, count(*) AS overdue_num
			FROM requests r WHERE ${overdue} AND ${w} GROUP BY 1`, counts);
	}
	return counts;
}

/**
 * 入户走访覆盖率: all households of the scope (kpi_household_daily), and those visited in the
 * `days` Beijing days ending on the period's last day (today for a running period) — at the
 * present moment from the day of their last visit, for a past period the distinct households of
 * the window's door-knocks (door_knocks_visited_idx), not a probe per household.
 */
export async function rollupHouseholdCounts(db: Queryable, s: RollupScope, now: Date, days: number, len: number | null): Promise<Map<string, Counts>> {
	const asOf = s.to < now ? s.to : now;
	const since = lastDays(days, new Date(Math.min(s.to.getTime() - 1, now.getTime()))).from;
	const w = scope({ area: s.area, pairing: s.pairing, department: null }, 'h');
	const present = now.getTime() - asOf.getTime() < 3600_000;
	const rows = readsStreets(s, len) ? sql`(SELECT street_code AS grid_code, day, households FROM kpi_household_daily_street)` : sql`kpi_household_daily`;
	const counts = byCode(await db.sql<Counts>`SELECT ${groupKey(len, sql`h.grid_code`)} AS code, sum(h.households) AS visit_coverage_den,
		${present ? sql`coalesce(sum(h.households) FILTER (WHERE h.day >= ${localDate(since)}), 0)` : sql`0`} AS visit_coverage_num
		FROM ${rows} h WHERE ${and(w)} GROUP BY 1`);
	if (present) return counts;
	const window = sql`k.visited_at > ${since} AND k.visited_at <= ${asOf}`;
	// the whole district needs no household row: a knock's household exists (foreign key)
	const count = () => !len && !s.area && !s.pairing
		? db.sql<Counts>`SELECT '' AS code, count(DISTINCT k.household_id) AS visit_coverage_num FROM door_knocks k WHERE ${window}`
		: db.sql<Counts>`SELECT ${groupKey(len, sql`h.grid_code`)} AS code, count(DISTINCT k.household_id) AS visit_coverage_num
			FROM door_knocks k JOIN households h ON h.id = k.household_id WHERE ${window} AND ${and(w)} GROUP BY 1`;
	// a past window moves only with a door-knock dated inside it (0037's counter); the scope is
	// one the reader sees whole (rollupsApply), so the count is the same whoever asks
	const key = JSON.stringify([await sequenceVersion(db, 'data_version_knocks_past'), s.area, s.pairing, len, since.getTime(), asOf.getTime()]);
	return byCode(await pastVisitsOf(systemOf(db)).get(key, count), counts);
}

/**
 * Households visited in a past window, per database. An hour at most: a household that moved to
 * another grid (an address corrected, a regrid) moves its old visits with it without a knock.
 */
const pastVisitsOf = perDatabase(() => new TtlCache<Counts[]>(3600_000, 256, 'kpi_past_visits'));

/**
 * 隐患整改率 (hazardKpiSql): the hazards whose rectification deadline falls in the period and has
 * passed — whole days before today from kpi_hazard_daily (0040; per street when neither scope nor
 * grouping goes below one), today's passed deadlines live (hazards_rectify_deadline_idx) — and of
 * those, the ones closed and rectified by their deadline.
 */
export async function rollupHazardCounts(db: Queryable, s: RollupScope, now: Date, len: number | null): Promise<Map<string, Counts>> {
	const today = startOfLocalDay(now);
	const dueCut = s.to <= now ? localDate(s.to) : localDate(today);
	const w = and(scope({ area: s.area, pairing: s.pairing, department: null }, 'h'));
	const rows = readsStreets(s, len) ? sql`(SELECT street_code AS grid_code, day, due, rectified FROM kpi_hazard_daily_street)` : sql`kpi_hazard_daily`;
	const counts = byCode(await db.sql<Counts>`SELECT ${groupKey(len, sql`h.grid_code`)} AS code, sum(h.due) AS hazard_rate_den,
		sum(h.rectified) AS hazard_rate_num FROM ${rows} h WHERE h.day >= ${localDate(s.from)} AND h.day < ${dueCut} AND ${w} GROUP BY 1`);
	const liveFrom = new Date(Math.max(s.from.getTime(), today.getTime()));
	if (s.to > now && liveFrom < now) {
		const [den, num] = hazardKpiSql(liveFrom, s.to, now);
		byCode(await db.sql<Counts>`SELECT ${groupKey(len, sql`h.grid_code`)} AS code, count(*) AS hazard_rate_den,
			count(*) FILTER (WHERE ${num}) AS hazard_rate_num FROM hazards h WHERE ${den} AND ${w} GROUP BY 1`, counts);
	}
	return counts;
}
