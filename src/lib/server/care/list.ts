// The care households due and overdue in an area — a grid worker's grids, a supervisor's
// jurisdiction, the whole district — most overdue first (never visited first of all), cut to
// `limit` rows with the counts of all of them, so a page says "显示最紧急的 N 件，共 M 件".
import type { CareState } from '../../domain/care';
import type { Queryable } from '../db/client';
import { maskedHouseholds } from '../pii/masked';
import { sql, type Fragment } from '../db/sql';
import { careDays } from './frequencies';
import { careHouseholds, careStateColumns, careTags } from './due';

export interface CareRow {
	id: number; gridCode: string; address: string; head: string | null; tags: string[]; lon: number; lat: number;
	intervalDays: number; lastVisitAt: Date | null; daysLeft: number | null; state: CareState;
	/** the last care visit's next step (下一步), what the visitor planned */
	lastNextStep: string | null;
}

export interface CareList { rows: CareRow[]; total: number; overdue: number; due: number; households: number }

/** Where: a list of grids (a 网格员), a code prefix (a supervisor, '' for all), as the reader's rights allow. */
export type CareArea = { grids: string[] } | { prefix: string };

const areaWhere = (a: CareArea): Fragment => ('grids' in a ? sql`h.grid_code = ANY(${a.grids}::text[])` : sql`h.grid_code LIKE ${`${a.prefix}%`}`);

export async function careList(db: Queryable, area: CareArea, o: { now?: Date; limit?: number } = {}): Promise<CareList> {
	const now = o.now ?? new Date();
	const days = await careDays(db);
	const rows = await db.sql<CareRow>`
		SELECT * FROM (
			SELECT c.id, c.grid_code AS "gridCode", c.address, c.tags, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, ${careStateColumns(days, now)},
			       (SELECT cv.next_step FROM care_visits cv WHERE cv.household_id = c.id ORDER BY cv.visited_at DESC, cv.id DESC LIMIT 1) AS "lastNextStep"
			FROM ${careHouseholds(days, areaWhere(area))}) s
		WHERE s.state <> 'ok'
		ORDER BY s."daysLeft" ASC NULLS FIRST, s.id LIMIT ${o.limit ?? 30}`;
	const [n] = await db.sql<{ households: number; overdue: number; due: number }>`
		SELECT count(*) AS households, count(*) FILTER (WHERE state = 'overdue') AS overdue, count(*) FILTER (WHERE state = 'due') AS due
		FROM (SELECT ${careStateColumns(days, now)} FROM ${careHouseholds(days, areaWhere(area))}) s`;
	const names = await maskedHouseholds(db, rows.map((r) => r.id));
	for (const r of rows) {
		r.head = names.get(r.id)?.name ?? null;
		r.daysLeft = r.daysLeft === null ? null : Number(r.daysLeft);
		r.intervalDays = Number(r.intervalDays);
	}
	return { rows, total: Number(n.overdue) + Number(n.due), overdue: Number(n.overdue), due: Number(n.due), households: Number(n.households) };
}

/** Care households of the area by tag (each household under every care tag it carries). */
export async function careHouseholdsByTag(db: Queryable, area: CareArea): Promise<{ tag: string; households: number }[]> {
	const days = await careDays(db);
	const rows = await db.sql<{ tag: string; households: number }>`
		SELECT t AS tag, count(*) AS households FROM ${careHouseholds(days, areaWhere(area))}, unnest(c.tags) t
		WHERE t = ANY(${careTags(days)}::text[]) GROUP BY t ORDER BY 2 DESC`;
	return rows.map((r) => ({ tag: r.tag, households: Number(r.households) }));
}
