// The place KPIs of domain.md as SQL predicates: 入户走访覆盖率 over `households h` and 隐患整改率
// over `hazards h`, shared by their counts (kpi.ts) and their drill-down lists (drill.ts), so a
// number and the list behind it can never disagree (as db/fragments.ts does for request KPIs).
import { lastDays } from '../../domain/calendar';
import { HAZARD_CLOSED_SQL } from '../db/fragments';
import { sql, type Fragment } from '../db/sql';

/**
 * 入户走访覆盖率 [denominator, numerator] over `households h`: every household of the scope; those
 * with a door-knock in the `days` Beijing calendar days ending on the period's last day (today for
 * a running period).
 */
export function householdKpiSql(to: Date, now: Date, days: number): [Fragment, Fragment] {
	const asOf = to < now ? to : now;
	const since = lastDays(days, new Date(Math.min(to.getTime() - 1, now.getTime()))).from;
	// at the present moment households.last_visit_at answers without touching door_knocks
	const visited = now.getTime() - asOf.getTime() < 3600_000
		? sql`h.last_visit_at > ${since}`
		// EXISTS: one probe of door_knocks_household_idx per household, linear in households. Not
		// `h.id IN (SELECT household_id …)`: faster at 200 000 households, but at 1 000 000 its hash
		// outgrows work_mem and PostgreSQL rescans the subquery for every household (minutes; npm run bench)
		: sql`EXISTS (SELECT 1 FROM door_knocks k WHERE k.household_id = h.id AND k.visited_at > ${since} AND k.visited_at <= ${asOf})`;
	return [sql`true`, visited];
}

/**
 * 隐患整改率 [denominator, numerator] over `hazards h`: hazards whose rectification deadline falls in
 * the period (and has passed, for a running period); of those, the ones rectified by that deadline
 * and closed (销号, re-inspected), as domain.md says: a hazard put right late counts against it.
 */
export function hazardKpiSql(from: Date, to: Date, now: Date): [Fragment, Fragment] {
	return [
		sql`(h.rectify_deadline >= ${from} AND h.rectify_deadline < ${to < now ? to : now})`,
		sql`(h.status IN ${HAZARD_CLOSED_SQL} AND h.rectified_at <= h.rectify_deadline)`
	];
}
