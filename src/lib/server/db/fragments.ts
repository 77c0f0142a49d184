// The KPI definitions as SQL predicates over `requests r`, shared by the KPI counts and their
// drill-downs, so a number and the list behind it can never disagree. Fragments use `?` for
// parameters; Where numbers them.
import type { KpiKey } from '../../domain/kpi';
import type { RequestFilter } from '../../domain/requestfilter';
import { OPEN_STATUSES } from '../../domain/workflow';

export class Where {
	readonly parts: string[] = [];
	readonly params: unknown[] = [];
	/** Adds `fragment`, its `?`s bound to `values` in order. */
	add(fragment: string, ...values: unknown[]): this {
		let i = 0;
		this.parts.push(fragment.replace(/\?/g, () => `$${this.params.push(values[i++])}`));
		if (i !== values.length) throw new Error(`Where.add: ${values.length} values for ${i} placeholders`);
		return this;
	}
	/** A parameter placeholder for use inside a fragment built by hand. */
	param(value: unknown): string {
		return `$${this.params.push(value)}`;
	}
	get text(): string {
		return this.parts.length ? this.parts.join(' AND ') : 'true';
	}
}

/** The open statuses of the state machine as an SQL list, for queries built as text. */
export const OPEN_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(',')})`;
export const DONE_SQL = `('resolved','evaluated','closed')`;

/** 超期 at $now: open past the resolve deadline, or waiting for 接单 past the accept deadline. */
export const overdueSql = (now: string) => `coalesce(r.status IN ${OPEN_SQL} AND (r.resolve_deadline < ${now}
	OR (r.status IN ('dispatched','reopened') AND r.accept_deadline < ${now})), false)`;

/** Where a request is, who it belongs to: area prefix, department, a leader's 包联 areas. */
export function scope(w: Where, f: Pick<RequestFilter, 'area' | 'department' | 'pairing'>, alias = 'r'): Where {
	if (f.area) w.add(`${alias}.grid_code LIKE ?`, `${f.area}%`);
	if (f.department) w.add(`${alias}.department_id = ?`, f.department);
	if (f.pairing) w.add(`EXISTS (SELECT 1 FROM leader_pairings lp WHERE lp.leader_id = ? AND lp.target_kind = 'area'
		AND ${alias}.grid_code LIKE lp.area_code || '%')`, f.pairing);
	return w;
}

export type RequestKpi = Exclude<KpiKey, 'visit_coverage' | 'hazard_rate'>;

/**
 * [denominator, numerator] predicates of a request KPI over the period [from, to) at `now`.
 * `p` makes a placeholder for a value.
 */
export function requestKpiSql(key: RequestKpi, p: (v: unknown) => string, from: Date, to: Date, now: Date): [string, string] {
	const inPeriod = (col: string) => `(${col} >= ${p(from)} AND ${col} < ${p(to)})`;
	switch (key) {
		case 'accept_rate':
			return [inPeriod('r.dispatched_at'),
				`EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.action = 'accept' AND e.at <= r.accept_deadline)`];
		case 'close_rate': {
			// 应办结: due within the period, and already due now
			const end = to < now ? to : now;
			return [`(r.resolve_deadline >= ${p(from)} AND r.resolve_deadline < ${p(end)})`, `r.status IN ${DONE_SQL}`];
		}
		case 'ontime_rate':
			return [`(r.status IN ${DONE_SQL} AND ${inPeriod('r.resolved_at')})`, `r.resolved_at <= r.resolve_deadline`];
		case 'solved_rate':
			return [`(r.satisfaction IS NOT NULL AND ${inPeriod('r.evaluated_at')})`, `r.solved`];
		case 'satisfaction_rate':
			return [`(r.satisfaction IS NOT NULL AND ${inPeriod('r.evaluated_at')})`, `r.satisfaction IN ('satisfied','basic')`];
		case 'overdue':
			return [overdueSql(p(now)), 'true'];
		case 'whistle_rate':
			// requests behind the whistle numbers: summoned in the period / with an on-time 报到
			return [`EXISTS (SELECT 1 FROM whistle_summons s WHERE s.request_id = r.id AND ${inPeriod('s.summoned_at')})`,
				`EXISTS (SELECT 1 FROM whistle_summons s WHERE s.request_id = r.id AND ${inPeriod('s.summoned_at')} AND s.checked_in_at <= s.deadline)`];
	}
}

export const REQUEST_KPIS: RequestKpi[] = ['accept_rate', 'close_rate', 'ontime_rate', 'solved_rate', 'satisfaction_rate', 'overdue'];
