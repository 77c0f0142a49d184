// The filtered request list behind tables, queues, KPI drill-downs, the map overlay and exports.
// Overdue is computed here from the clock, never read from a stored flag.
import type { RequestFilter } from '../../domain/requestfilter';
import type { Queryable } from '../db/client';
import { overdueSql, OPEN_SQL, requestKpiSql, scope, stageDeadlineSql, type RequestKpi } from '../db/fragments';
import { and, sql, type Fragment } from '../db/sql';

export interface RequestRow {
	id: number; code: string; kind: string; category: string; categoryName: string; status: string; priority: string;
	title: string; gridCode: string; gridName: string; department: string | null; reportedAt: Date;
	acceptDeadline: Date | null; resolveDeadline: Date | null; overdue: boolean; hoursLeft: number | null;
	lon: number; lat: number; reporter: string; satisfaction: string | null; version: number; claimedBy: string | null;
}

/** The conditions of a filter (to AND); `grids` limits a grid manager to their own (null = all). */
export function requestWhere(f: RequestFilter, grids: string[] | null, now: Date): Fragment[] {
	const w = scope(f);
	if (grids) w.push(sql`r.grid_code = ANY(${grids}::text[])`);
	if (f.kpi && f.kpi !== 'visit_coverage' && f.kpi !== 'hazard_rate' && f.kpi !== 'care_rate') {
		const [den, num] = requestKpiSql(f.kpi as RequestKpi, f.from, f.to, now);
		w.push(f.part === 'num' ? sql`${den} AND ${num}` : den);
	} else if (!f.open && !f.overdue && !f.statuses) {
		w.push(sql`r.reported_at >= ${f.from} AND r.reported_at < ${f.to}`);
	}
	if (f.open) w.push(sql`r.status IN ${OPEN_SQL}`);
	if (f.statuses) w.push(sql`r.status = ANY(${f.statuses}::text[])`);
	if (f.overdue) w.push(overdueSql(now));
	if (f.category) w.push(f.category.includes('.') ? sql`r.category_code = ${f.category}` : sql`r.category_code LIKE ${f.category} || '.%'`);
	if (f.kind) w.push(sql`r.kind = ${f.kind}`);
	if (f.q) w.push(sql`(r.code ILIKE ${`%${f.q}%`} OR r.title ILIKE ${`%${f.q}%`} OR r.address ILIKE ${`%${f.q}%`})`);
	return w;
}

const columns = (now: Date) => sql`r.id, r.code, r.kind, r.category_code AS category, c.name AS "categoryName", r.status, r.priority,
	r.title, r.grid_code AS "gridCode", g.name AS "gridName", d.name AS department, r.reported_at AS "reportedAt",
	r.accept_deadline AS "acceptDeadline", r.resolve_deadline AS "resolveDeadline", ${overdueSql(now)} AS overdue,
	extract(epoch FROM ${stageDeadlineSql()} - ${now}::timestamptz) / 3600 AS "hoursLeft",
	ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, (pii_request_reporter(r.id)).name AS reporter, r.satisfaction, r.version, r.claimed_by AS "claimedBy"`;

/**
 * Rows sorted by urgency: overdue first, then the nearest deadline, urgent before normal, then
 * the oldest, with the total. Reporter names leave masked. `extra` is one more condition (a
 * leader's own requests).
 */
export async function listRequests(db: Queryable, f: RequestFilter, grids: string[] | null, now = new Date(), extra?: Fragment) {
	const rows = await readRequests(db, f, grids, now, extra);
	const [{ total }] = await db.sql<{ total: number }>`SELECT count(*) AS total FROM requests r WHERE ${listWhere(f, grids, now, extra)}`;
	return { rows, total };
}

/** One page of the list (f.limit rows from f.offset) in listRequests' order, without the count. */
export async function readRequests(db: Queryable, f: RequestFilter, grids: string[] | null, now = new Date(), extra?: Fragment) {
	return db.sql<RequestRow>`SELECT ${columns(now)}
		FROM requests r JOIN categories c ON c.code = r.category_code JOIN grids g ON g.code = r.grid_code
		LEFT JOIN departments d ON d.id = r.department_id WHERE ${listWhere(f, grids, now, extra)}
		ORDER BY overdue DESC, "hoursLeft" ASC NULLS LAST, (r.priority = 'urgent') DESC, r.reported_at DESC, r.id
		LIMIT ${f.limit} OFFSET ${f.offset}`;
}

const listWhere = (f: RequestFilter, grids: string[] | null, now: Date, extra?: Fragment) =>
	and([...requestWhere(f, grids, now), ...(extra ? [extra] : [])]);
