// THE due rule of care households in SQL (careState in src/lib/domain/care.ts says the same in
// TypeScript; tests hold them equal): which households are on a care list and at what frequency
// (the strictest of their tags), their last 关爱走访, and whether they are 临期 (due) or 逾期
// (overdue) on Beijing days. The workspace list, the supervisors' list and the KPI read it here.
import { CARE_WARN_DAYS } from '../../domain/care';
import { localDate } from '../../domain/time';
import { join, sql, type Fragment } from '../db/sql';

/** The care tags in force (those with a frequency). */
export const careTags = (days: Record<string, number | null>): string[] => Object.keys(days).filter((t) => days[t] !== null);

/**
 * `h`'s frequency in days: the strictest (least) of its care tags, NULL when it carries none. An
 * inline LEAST of one CASE per care tag (LEAST skips NULLs): evaluated per row with no subquery,
 * ~10× faster than a join to the frequency table over a whole district's households.
 */
export function careDaysOf(days: Record<string, number | null>, alias: Fragment = sql`h`): Fragment {
	const parts = careTags(days).map((t) => sql`CASE WHEN ${t}::text = ANY(${alias}.tags) THEN ${days[t]}::int END`);
	return parts.length ? sql`LEAST(${join(parts)})` : sql`NULL::int`;
}

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
	return sql`(SELECT h.id, h.grid_code, h.address, h.tags, h.geom, ${careDaysOf(days)} AS days, lv.last_at,
			(lv.last_at AT TIME ZONE 'Asia/Shanghai')::date AS last_day
		FROM households h
		LEFT JOIN LATERAL (SELECT max(cv.visited_at) AS last_at FROM care_visits cv WHERE cv.household_id = h.id) lv ON true
		WHERE h.tags && ${careTags(days)}::text[] AND ${where}) c`;
}
