// The KPI definitions as SQL predicates over `requests r`, shared by the KPI counts and their
// drill-downs, so a number and the list behind it can never disagree. Each is a Fragment (./sql.ts):
// one definition, spliced into every query that needs it, its values bound as parameters there.
import type { KpiKey } from '../../domain/kpi';
import type { RequestFilter } from '../../domain/requestfilter';
import { DONE_STATUSES, OPEN_STATUSES } from '../../domain/workflow';
import { HAZARD_AWAITING_REINSPECTION, HAZARD_CLOSED, HAZARD_NOT_CLOSED, HAZARD_RECTIFIED, HAZARD_UNRECTIFIED } from '../../domain/hazard';
import { codes, ident, sql, type Fragment } from './sql';

/**
 * The open statuses of the state machine as an SQL list. Literals, not parameters: the planner
 * matches requests_open_idx's predicate only against constants.
 */
export const OPEN_SQL: Fragment = codes(OPEN_STATUSES);
export const DONE_SQL: Fragment = codes(DONE_STATUSES);

/** 隐患 sets of domain/hazard.ts as SQL lists (literals, like OPEN_SQL): `status IN ${…}`. */
export const HAZARD_UNRECTIFIED_SQL: Fragment = codes(HAZARD_UNRECTIFIED);
export const HAZARD_RECTIFIED_SQL: Fragment = codes(HAZARD_RECTIFIED);
export const HAZARD_NOT_CLOSED_SQL: Fragment = codes(HAZARD_NOT_CLOSED);
export const HAZARD_CLOSED_SQL: Fragment = codes([HAZARD_CLOSED]);
export const HAZARD_AWAITING_REINSPECTION_SQL: Fragment = codes([HAZARD_AWAITING_REINSPECTION]);

/** 超期 at `now`: open past the resolve deadline, or waiting for 接单 past the accept deadline. */
export const overdueSql = (now: Date) => sql`coalesce(r.status IN ${OPEN_SQL} AND (r.resolve_deadline < ${now}
	OR (r.status IN ('dispatched','reopened') AND r.accept_deadline < ${now})), false)`;

/** The table aliases scope() works on: requests r, households h, hazards h. */
export type ScopeAlias = 'r' | 'h';

/** Where a request is, who it belongs to: area prefix, department, a leader's 包联 areas (conditions to AND). */
export function scope(f: Pick<RequestFilter, 'area' | 'department' | 'pairing'>, alias: ScopeAlias = 'r'): Fragment[] {
	const a = ident(alias);
	const w: Fragment[] = [];
	if (f.area) w.push(sql`${a}.grid_code LIKE ${`${f.area}%`}`);
	if (f.department) w.push(sql`${a}.department_id = ${f.department}`);
	if (f.pairing) w.push(sql`EXISTS (SELECT 1 FROM leader_pairings lp WHERE lp.leader_id = ${f.pairing} AND lp.target_kind = 'area'
		AND ${a}.grid_code LIKE lp.area_code || '%')`);
	return w;
}

export type RequestKpi = Exclude<KpiKey, 'visit_coverage' | 'hazard_rate'>;

/** [denominator, numerator] predicates of a request KPI over the period [from, to) at `now`. */
export function requestKpiSql(key: RequestKpi, from: Date, to: Date, now: Date): [Fragment, Fragment] {
	const inPeriod = (col: Fragment) => sql`(${col} >= ${from} AND ${col} < ${to})`;
	switch (key) {
		case 'accept_rate':
			return [inPeriod(sql`r.dispatched_at`),
				sql`EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.action = 'accept' AND e.at <= r.accept_deadline)`];
		case 'close_rate': {
			// 应办结: due within the period, and already due now
			const end = to < now ? to : now;
			return [sql`(r.resolve_deadline >= ${from} AND r.resolve_deadline < ${end})`, sql`r.status IN ${DONE_SQL}`];
		}
		case 'ontime_rate':
			return [sql`(r.status IN ${DONE_SQL} AND ${inPeriod(sql`r.resolved_at`)})`, sql`r.resolved_at <= r.resolve_deadline`];
		case 'solved_rate':
			return [sql`(r.satisfaction IS NOT NULL AND ${inPeriod(sql`r.evaluated_at`)})`, sql`r.solved`];
		case 'satisfaction_rate':
			return [sql`(r.satisfaction IS NOT NULL AND ${inPeriod(sql`r.evaluated_at`)})`, sql`r.satisfaction IN ('satisfied','basic')`];
		case 'overdue':
			return [overdueSql(now), sql`true`];
		case 'whistle_rate':
			// requests behind the whistle numbers: summoned in the period / with an on-time 报到
			return [sql`EXISTS (SELECT 1 FROM whistle_summons s WHERE s.request_id = r.id AND ${inPeriod(sql`s.summoned_at`)})`,
				sql`EXISTS (SELECT 1 FROM whistle_summons s WHERE s.request_id = r.id AND ${inPeriod(sql`s.summoned_at`)} AND s.checked_in_at <= s.deadline)`];
	}
}

export const REQUEST_KPIS: RequestKpi[] = ['accept_rate', 'close_rate', 'ontime_rate', 'solved_rate', 'satisfaction_rate', 'overdue'];

/** count(*) of a request KPI's denominator and numerator, as columns "<key>_den" and "<key>_num". */
export function kpiCountColumns(from: Date, to: Date, now: Date): Fragment[] {
	return REQUEST_KPIS.flatMap((k) => {
		const [den, num] = requestKpiSql(k, from, to, now);
		return [sql`count(*) FILTER (WHERE ${den}) AS ${ident(`${k}_den`)}`, sql`count(*) FILTER (WHERE ${den} AND ${num}) AS ${ident(`${k}_num`)}`];
	});
}
