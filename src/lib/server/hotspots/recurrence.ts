// Recurrence (未诉先办): households and places that reported the same kind of problem again and
// again in the last `days`, with where they are and when the next report is expected.
import { lastDays } from '../../domain/calendar';
import { OPEN_SQL } from '../db/fragments';
import { findRecurrences } from '../../domain/recurrence';
import type { Queryable } from '../db/client';

export interface RecurrenceRow {
	key: string; kind: 'household' | 'place'; category: string; categoryName: string; grid: string; address: string;
	lon: number; lat: number; count: number; first: string; last: string; meanGapDays: number; expectedNext: string; due: boolean; open: number;
}

export async function recurrences(db: Queryable, opts: { days: number; minCount: number; category: string | null; limit: number }, now = new Date()): Promise<RecurrenceRow[]> {
	const from = lastDays(opts.days, now).from;
	const cat = opts.category;
	// one group per household (or, without one, per address) and category with ≥ minCount reports
	const rows = await db.sql<{ key: string; category: string; at: Date; grid: string; address: string; x: number; y: number; open: boolean }>`
		WITH r AS (
		  SELECT CASE WHEN household_id IS NOT NULL THEN 'h' || household_id ELSE 'a' || coalesce(address, grid_code) END AS key,
		         category_code AS category, reported_at AS at, grid_code AS grid, coalesce(address, '') AS address, ST_X(geom) AS x, ST_Y(geom) AS y,
		         status IN ${OPEN_SQL} AS open
		  FROM requests WHERE reported_at >= ${from} AND reported_at < ${now}
		    AND (${cat}::text IS NULL OR category_code = ${cat} OR category_code LIKE ${cat} || '.%'))
		SELECT r.* FROM r JOIN (SELECT key, category FROM r GROUP BY 1, 2 HAVING count(*) >= ${opts.minCount}) k USING (key, category)
		ORDER BY key, category, at`;
	const names = new Map((await db.sql<{ code: string; name: string }>`SELECT code, name FROM categories`).map((c) => [c.code, c.name]));
	const found = findRecurrences(rows.map((r) => ({ key: r.key, category: r.category, at: new Date(r.at).getTime() })), { minCount: opts.minCount, now: now.getTime() });
	const byKey = new Map<string, typeof rows>();
	for (const r of rows) { const k = `${r.key}|${r.category}`; (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(r); }
	return found.slice(0, opts.limit).map((f) => {
		const list = byKey.get(`${f.key}|${f.category}`)!;
		const last = list[list.length - 1];
		return {
			key: f.key, kind: f.key.startsWith('h') ? 'household' : 'place', category: f.category, categoryName: names.get(f.category) ?? f.category,
			grid: last.grid, address: last.address, lon: last.x, lat: last.y, count: f.count, first: new Date(f.first).toISOString(), last: new Date(f.last).toISOString(),
			meanGapDays: f.meanGapDays, expectedNext: new Date(f.expectedNext).toISOString(), due: f.due, open: list.filter((r) => r.open).length
		};
	});
}
