// THE due rule of care households in SQL (careState in src/lib/domain/care.ts says the same in
// TypeScript; tests hold them equal): which households are on a care list and at what frequency
// (the strictest of their tags), their last 关爱走访, and whether they are 临期 (due) or 逾期
// (overdue) on Beijing days. The workspace list, the supervisors' list and the KPI read it here.
import { CARE_WARN_DAYS } from '../../domain/care';
import { localDate } from '../../domain/time';
import { sql, type Fragment } from '../db/sql';

/** The frequencies in force as a table f(tag, days) of care tags only. */
export function careDaysTable(days: Record<string, number | null>): Fragment {
	const tags = Object.keys(days).filter((t) => days[t] !== null);
	return sql`unnest(${tags}::text[], ${tags.map((t) => days[t])}::int[])`;
}

/** `h`'s frequency in days (the strictest of its care tags), NULL when it is on no care list. */
export const careDaysOf = (days: Record<string, number | null>, alias: Fragment = sql`h`): Fragment =>
	sql`(SELECT min(f.days) FROM ${careDaysTable(days)} AS f(tag, days) WHERE f.tag = ANY(${alias}.tags))`;

/** A care household's [frequency, last visit day, days left, state] columns over `households h`. */
export function careStateColumns(days: Record<string, number | null>, now: Date): Fragment {
	const today = localDate(now);
	return sql`c.days AS "intervalDays", c.last_at AS "lastVisitAt",
		(c.last_day + c.days) - ${today}::date AS "daysLeft",
		CASE WHEN c.last_day IS NULL OR (c.last_day + c.days) < ${today}::date THEN 'overdue'
		     WHEN (c.last_day + c.days) - ${today}::date <= least(${CARE_WARN_DAYS}::int, c.days - 1) THEN 'due' ELSE 'ok' END AS state`;
}

/**
 * FROM-clause of care households with their frequency and last care visit, as `c` (all columns of
 * h, `days`, `last_at`, `last_day`), restricted by `where` over `households h`.
 */
export function careHouseholds(days: Record<string, number | null>, where: Fragment): Fragment {
	const careTags = Object.keys(days).filter((t) => days[t] !== null);
	return sql`(SELECT h.id, h.grid_code, h.address, h.tags, h.geom, d.days, lv.last_at,
			(lv.last_at AT TIME ZONE 'Asia/Shanghai')::date AS last_day
		FROM households h
		CROSS JOIN LATERAL (SELECT ${careDaysOf(days)} AS days) d
		LEFT JOIN LATERAL (SELECT max(cv.visited_at) AS last_at FROM care_visits cv WHERE cv.household_id = h.id) lv ON true
		WHERE h.tags && ${careTags}::text[] AND ${where}) c`;
}
