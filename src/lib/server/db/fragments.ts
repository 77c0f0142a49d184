// The KPI definitions as SQL predicates over `requests r`, shared by the KPI counts and their
// drill-downs, so a number and the list behind it can never disagree. Each is a Fragment (./sql.ts):
// one definition, spliced into every query that needs it, its values bound as parameters there.
import { PETITION_KIND, SATISFIED_RATINGS, SETTLED_STATUS, type KpiKey } from '../../domain/kpi';
import type { RequestFilter } from '../../domain/requestfilter';
import { AWAITING_ACCEPT, IN_WORK } from '../../domain/deadlines';
import { DISPATCH_ACTIONS, DONE_STATUSES, OPEN_STATUSES } from '../../domain/workflow';
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

/** The SQL clock: `now()`, for queries cached by data version rather than by time of call. */
export const NOW: Fragment = sql`now()`;

/** A column of `alias` (or unqualified when alias is ''). */
const col = (alias: string, name: string) => (alias ? ident(alias, name) : ident(name));

/** The deadline of the request's current stage (domain/deadlines.ts stageDeadline): accept, resolve or NULL. */
export const stageDeadlineSql = (alias = 'r'): Fragment => sql`(CASE WHEN ${col(alias, 'status')} IN ${codes(AWAITING_ACCEPT)} THEN ${col(alias, 'accept_deadline')}
	WHEN ${col(alias, 'status')} IN ${codes(IN_WORK)} THEN ${col(alias, 'resolve_deadline')} END)`;

/** 超期 at `now` (a Date, or NOW): open and past the deadline of its current stage; never NULL. */
export const overdueSql = (now: Date | Fragment, alias = 'r'): Fragment =>
	sql`coalesce(${col(alias, 'status')} IN ${OPEN_SQL} AND ${stageDeadlineSql(alias)} < ${now}, false)`;

/**
 * 超期 at a past moment `t` (the end of a period), from the request's history: its status after the
 * last move at or before t, and the deadlines the moves up to t had started (request_events.payload).
 */
export const overdueAtSql = (t: Date, alias = 'r'): Fragment => {
	const id = col(alias, 'id');
	// one pass over the request's events up to t: the latest of each, newest first
	const latest = (what: Fragment, where?: Fragment) =>
		sql`(array_agg(${what} ORDER BY e.at DESC, e.id DESC)${where ? sql` FILTER (WHERE ${where})` : sql``})[1]`;
	const deadline = (key: string) => latest(sql`(e.payload->>${key})::timestamptz`, sql`e.payload ? ${key}`);
	const status = latest(sql`e.to_status`);
	const stageDeadline = sql`(SELECT CASE WHEN ${status} IN ${codes(AWAITING_ACCEPT)} THEN ${deadline('accept_deadline')}
		WHEN ${status} IN ${codes(IN_WORK)} THEN ${deadline('resolve_deadline')} END
		FROM request_events e WHERE e.request_id = ${id} AND e.at <= ${t})`;
	// cheap columns first: reported after t, or resolved at or before t and not reopened since (a reopen
	// clears resolved_at), means not open at t; only the rest read their history
	return sql`coalesce(${col(alias, 'reported_at')} <= ${t} AND NOT coalesce(${col(alias, 'resolved_at')} <= ${t}, false) AND ${stageDeadline} < ${t}, false)`;
};

/** The deadline a hazard works to now (hazardStageDeadline of the domain): 复查 once rectified, else 整改. */
export const hazardStageDeadlineSql = (alias = 'h'): Fragment =>
	sql`(CASE WHEN ${col(alias, 'status')} IN ${HAZARD_AWAITING_REINSPECTION_SQL} THEN ${col(alias, 'reinspect_deadline')} ELSE ${col(alias, 'rectify_deadline')} END)`;

/** 隐患超期 at `now`: not 销号 and past its rectify deadline (while unrectified) or its re-inspection deadline. */
export const hazardOverdueSql = (now: Date | Fragment, alias = 'h'): Fragment => sql`coalesce(CASE
	WHEN ${col(alias, 'status')} IN ${HAZARD_UNRECTIFIED_SQL} THEN ${col(alias, 'rectify_deadline')} < ${now}
	WHEN ${col(alias, 'status')} IN ${HAZARD_AWAITING_REINSPECTION_SQL} THEN ${col(alias, 'reinspect_deadline')} < ${now} END, false)`;

/** The table aliases scope() works on: requests r, households h, hazards h. */
/** domain/visits.ts decisionOverdue for visit_decisions `alias`: not 落实 and its deadline day is past (Beijing). */
export const decisionOverdueSql = (alias = 'd'): Fragment =>
	sql`(${col(alias, 'done_at')} IS NULL AND ${col(alias, 'due_date')} < (now() AT TIME ZONE 'Asia/Shanghai')::date)`;

export type ScopeAlias = 'r' | 'h';

/** Where a request is, who it belongs to: area prefix, department, a leader's 包联 areas (conditions to AND). */
export function scope(f: Pick<RequestFilter, 'area' | 'department' | 'pairing'>, alias: ScopeAlias = 'r'): Fragment[] {
	const a = ident(alias);
	const w: Fragment[] = [];
	if (f.area) w.push(sql`${a}.grid_code LIKE ${`${f.area}%`}`);
	if (f.department) w.push(sql`${a}.department_id = ${f.department}`);
	if (f.pairing) w.push(sql`EXISTS (SELECT 1 FROM leader_pairings lp WHERE lp.leader_id = ${f.pairing} AND lp.target_kind = 'area' AND lp.ended_on IS NULL
		AND ${a}.grid_code LIKE lp.area_code || '%')`);
	return w;
}

export type RequestKpi = Exclude<KpiKey, 'visit_coverage' | 'hazard_rate' | 'care_rate'>;

/** [denominator, numerator] predicates of a request KPI over the period [from, to) at `now`. */
export function requestKpiSql(key: RequestKpi, from: Date, to: Date, now: Date): [Fragment, Fragment] {
	const inPeriod = (col: Fragment) => sql`(${col} >= ${from} AND ${col} < ${to})`;
	switch (key) {
		// every dispatch counts (派单 and each 改派): a request is behind the number when it has one
		case 'accept_rate':
			return [sql`(r.dispatched_at < ${to} AND EXISTS (SELECT 1 ${dispatchesWhere(from, to)}))`,
				sql`EXISTS (SELECT 1 ${dispatchesWhere(from, to)} AND ${ACCEPTED_IN_TIME})`];
		case 'close_rate': {
			// 应办结: due within the period, and already due now
			const end = to < now ? to : now;
			return [sql`(r.resolve_deadline >= ${from} AND r.resolve_deadline < ${end})`, sql`r.status IN ${DONE_SQL}`];
		}
		case 'ontime_rate':
			return [sql`(r.status IN ${DONE_SQL} AND ${inPeriod(sql`r.resolved_at`)})`, sql`r.resolved_at <= r.resolve_deadline`];
		// every evaluation in the period counts, also one that sent the request back (返工): a request
		// is behind the number when it has one (the counts weigh it by how many, evaluationUnits)
		case 'solved_rate':
		case 'satisfaction_rate':
			return [evaluationsIn(from, to), evaluationsIn(from, to, EVALUATION_NUM[key])];
		// 最终满意率: one per request, its latest evaluation (requests.evaluated_at and .satisfaction
		// hold it), when that falls in the period
		case 'final_satisfaction_rate':
			return [sql`(${inPeriod(sql`r.evaluated_at`)} AND ${LATEST_EVALUATION_COUNTS})`, sql`coalesce(r.satisfaction IN ${SATISFIED_SQL}, false)`];
		case 'mediation_rate': {
			// 应办结 as 办结率 (resolve deadline inside the period, already due), of 信访件 only; 息访 among them
			const end = to < now ? to : now;
			return [sql`(r.kind IN ${codes([PETITION_KIND])} AND r.resolve_deadline >= ${from} AND r.resolve_deadline < ${end})`,
				sql`(r.status IN ${codes([SETTLED_STATUS])} AND coalesce(r.satisfaction IN ${SATISFIED_SQL}, false))`];
		}
		case 'overdue':
			// 超期数 is counted at the period's end: now for a period running to today
			return [to < now ? overdueAtSql(to) : overdueSql(now), sql`true`];
		case 'whistle_rate':
			// requests behind the whistle numbers: summoned in the period / with an on-time 报到
			return [sql`EXISTS (SELECT 1 FROM whistle_summons s WHERE s.request_id = r.id AND ${inPeriod(sql`s.summoned_at`)})`,
				sql`EXISTS (SELECT 1 FROM whistle_summons s WHERE s.request_id = r.id AND ${inPeriod(sql`s.summoned_at`)} AND s.checked_in_at <= s.deadline)`];
	}
}

export const REQUEST_KPIS: RequestKpi[] = ['accept_rate', 'close_rate', 'ontime_rate', 'solved_rate', 'satisfaction_rate', 'overdue'];
/** Request KPIs shown beside another (KpiDef.beside), counted with the others by kpiCountColumns. */
export const BESIDE_REQUEST_KPIS: RequestKpi[] = ['final_satisfaction_rate'];
/** Request KPIs of 信访件 only (KpiDef.caseKind), counted with the others by kpiCountColumns. */
export const PETITION_REQUEST_KPIS: RequestKpi[] = ['mediation_rate'];

/** 满意 and 基本满意 (domain SATISFIED_RATINGS) as an SQL list. */
const SATISFIED_SQL: Fragment = codes(SATISFIED_RATINGS);

/** The dispatches (request_events d) of request r in [from, to). */
const dispatchesWhere = (from: Date, to: Date) => sql`FROM request_events d WHERE d.request_id = r.id
	AND d.action IN ${codes(DISPATCH_ACTIONS)} AND d.at >= ${from} AND d.at < ${to}`;
/**
 * Dispatch d was accepted while its accept deadline ran: the move after it is 接单 (not 退单), at or
 * before the deadline d started (its payload; the request's column for history without one).
 */
const ACCEPTED_IN_TIME = sql`coalesce((SELECT n.action = 'accept' AND n.at <= coalesce((d.payload->>'accept_deadline')::timestamptz, r.accept_deadline)
	FROM request_events n WHERE n.request_id = d.request_id AND (n.at, n.id) > (d.at, d.id) ORDER BY n.at, n.id LIMIT 1), false)`;

/**
 * The dispatches of each request in [from, to), read once per request (a LATERAL join of the
 * request rows r) for 受理率: columns dp.n and dp.in_time. Requests never dispatched before `to`
 * read no history (a one-time filter on r.dispatched_at, the first 派单).
 */
export const dispatchCountsJoin = (from: Date, to: Date): Fragment => sql`CROSS JOIN LATERAL (SELECT count(*) AS n,
	count(*) FILTER (WHERE ${ACCEPTED_IN_TIME}) AS in_time
	${dispatchesWhere(from, to)} AND r.dispatched_at < ${to}) dp`;

/**
 * domain/kpi.ts APPEAL_SETS_ASIDE: an evaluation (request_events e) an upheld 申诉 set aside
 * counts for none of 满意率, 解决率, 最终满意率 (0033's kpi_request_contributions does the same).
 */
const EVALUATION_COUNTS: Fragment = sql`NOT EXISTS (SELECT 1 FROM request_appeals ap WHERE ap.event_id = e.id AND ap.status = 'upheld')`;
/** The latest evaluation of request r (the one 最终满意率 reads) was not set aside. */
const LATEST_EVALUATION_COUNTS: Fragment = sql`NOT EXISTS (SELECT 1 FROM request_appeals ap WHERE ap.request_id = r.id AND ap.status = 'upheld'
	AND ap.event_id = (SELECT l.id FROM request_events l WHERE l.request_id = r.id AND l.action = 'evaluate' ORDER BY l.at DESC, l.id DESC LIMIT 1))`;

type EvaluationKpi = 'solved_rate' | 'satisfaction_rate';
/** What makes an evaluation (a request_events row e of action 'evaluate') count for the numerator. */
const EVALUATION_NUM: Record<EvaluationKpi, Fragment> = {
	solved_rate: sql`(e.payload->>'solved')::boolean`,
	satisfaction_rate: sql`e.payload->>'satisfaction' IN ${SATISFIED_SQL}`
};
const isEvaluationKpi = (k: RequestKpi): k is EvaluationKpi => k in EVALUATION_NUM;

// r.evaluated_at is the latest evaluation and is never cleared, so a request without one at or
// after `from` has none in the period: only the others read their history
const evaluationsWhere = (from: Date, to: Date, extra: Fragment) => sql`FROM request_events e WHERE e.request_id = r.id
	AND e.action = 'evaluate' AND e.at >= ${from} AND e.at < ${to} AND ${EVALUATION_COUNTS} AND ${extra}`;
const evaluationsIn = (from: Date, to: Date, extra: Fragment = sql`true`) =>
	sql`(r.evaluated_at >= ${from} AND EXISTS (SELECT 1 ${evaluationsWhere(from, to, extra)}))`;
/**
 * A request's evaluations in [from, to), read once per request (a LATERAL join of the request rows
 * r) for both 满意率 and 解决率: columns ev.n (all), ev.solved_rate, ev.satisfaction_rate. The
 * evaluated_at condition is a one-time filter: requests without a recent evaluation read no history.
 */
const evaluationCountsJoin = (from: Date, to: Date): Fragment => sql`CROSS JOIN LATERAL (SELECT count(*) AS n,
	count(*) FILTER (WHERE ${EVALUATION_NUM.solved_rate}) AS solved_rate,
	count(*) FILTER (WHERE ${EVALUATION_NUM.satisfaction_rate}) AS satisfaction_rate
	${evaluationsWhere(from, to, sql`r.evaluated_at >= ${from}`)}) ev`;

/**
 * A request KPI's denominator and numerator over the rows of `requests r` joined with
 * kpiCountJoins, as columns "<key>_den" and "<key>_num": requests counted once, except 受理率
 * (every dispatch) and 满意率/解决率 (every evaluation).
 */
/** The joins kpiCountColumns reads: dispatches and evaluations per request. */
export const kpiCountJoins = (from: Date, to: Date): Fragment => sql`${dispatchCountsJoin(from, to)} ${evaluationCountsJoin(from, to)}`;

export function kpiCountColumns(from: Date, to: Date, now: Date): Fragment[] {
	return [...REQUEST_KPIS, ...BESIDE_REQUEST_KPIS, ...PETITION_REQUEST_KPIS].flatMap((k) => {
		if (isEvaluationKpi(k)) {
			return [sql`coalesce(sum(ev.n), 0) AS ${ident(`${k}_den`)}`, sql`coalesce(sum(${ident('ev', k)}), 0) AS ${ident(`${k}_num`)}`];
		}
		if (k === 'accept_rate') return [sql`coalesce(sum(dp.n), 0) AS accept_rate_den`, sql`coalesce(sum(dp.in_time), 0) AS accept_rate_num`];
		const [den, num] = requestKpiSql(k, from, to, now);
		return [sql`count(*) FILTER (WHERE ${den}) AS ${ident(`${k}_den`)}`, sql`count(*) FILTER (WHERE ${den} AND ${num}) AS ${ident(`${k}_num`)}`];
	});
}
