// The filtered request list behind tables, queues, KPI drill-downs, the map overlay and exports.
// Overdue is computed here from the clock, never read from a stored flag.
import type { RequestFilter } from '../../domain/requestfilter';
import type { Queryable } from '../db/client';
import { overdueSql, OPEN_SQL, requestKpiSql, scope, Where, type RequestKpi } from '../db/fragments';

export interface RequestRow {
	id: number; code: string; kind: string; category: string; categoryName: string; status: string; priority: string;
	title: string; gridCode: string; gridName: string; department: string | null; reportedAt: Date;
	acceptDeadline: Date | null; resolveDeadline: Date | null; overdue: boolean; hoursLeft: number | null;
	lon: number; lat: number; reporter: string; satisfaction: string | null; version: number; claimedBy: string | null;
}

/** Builds the WHERE of a filter; `grids` limits a grid manager to their own (null = all). */
export function requestWhere(f: RequestFilter, grids: string[] | null, now: Date): Where {
	const w = scope(new Where(), f);
	if (grids) w.add('r.grid_code = ANY(?::text[])', grids);
	if (f.kpi && f.kpi !== 'visit_coverage' && f.kpi !== 'hazard_rate') {
		const [den, num] = requestKpiSql(f.kpi as RequestKpi, (v) => w.param(v), f.from, f.to, now);
		w.add(f.part === 'num' ? `${den} AND ${num}` : den);
	} else if (!f.open && !f.overdue && !f.statuses) {
		w.add('r.reported_at >= ? AND r.reported_at < ?', f.from, f.to);
	}
	if (f.open) w.add(`r.status IN ${OPEN_SQL}`);
	if (f.statuses) w.add('r.status = ANY(?::text[])', f.statuses);
	if (f.overdue) w.add(overdueSql(w.param(now)));
	if (f.category) w.add(f.category.includes('.') ? 'r.category_code = ?' : `r.category_code LIKE ? || '.%'`, f.category);
	if (f.kind) w.add('r.kind = ?', f.kind);
	if (f.q) w.add(`(r.code ILIKE ? OR r.title ILIKE ? OR r.address ILIKE ?)`, `%${f.q}%`, `%${f.q}%`, `%${f.q}%`);
	return w;
}

const COLUMNS = (now: string) => `r.id, r.code, r.kind, r.category_code AS category, c.name AS "categoryName", r.status, r.priority,
	r.title, r.grid_code AS "gridCode", g.name AS "gridName", d.name AS department, r.reported_at AS "reportedAt",
	r.accept_deadline AS "acceptDeadline", r.resolve_deadline AS "resolveDeadline", ${overdueSql(now)} AS overdue,
	CASE WHEN r.status IN ${OPEN_SQL} THEN extract(epoch FROM (CASE WHEN r.status IN ('dispatched','reopened')
	  THEN r.accept_deadline ELSE r.resolve_deadline END) - ${now}) / 3600 END AS "hoursLeft",
	ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, (pii_request_reporter(r.id)).name AS reporter, r.satisfaction, r.version, r.claimed_by AS "claimedBy"`;

/**
 * Rows sorted by urgency: overdue first, then the nearest deadline, urgent before normal, then
 * the oldest. Reporter names leave masked.
 */
export async function listRequests(db: Queryable, f: RequestFilter, grids: string[] | null, now = new Date(), extra?: (w: Where) => void) {
	const rows = await readRequests(db, f, grids, now, extra);
	const c = requestWhere(f, grids, now);
	extra?.(c);
	const [{ total }] = await db.query<{ total: number }>(`SELECT count(*) AS total FROM requests r WHERE ${c.text}`, c.params);
	return { rows, total };
}

/** One page of the list (f.limit rows from f.offset) in listRequests' order, without the count. */
export async function readRequests(db: Queryable, f: RequestFilter, grids: string[] | null, now = new Date(), extra?: (w: Where) => void) {
	const w = requestWhere(f, grids, now);
	extra?.(w);
	const nowP = w.param(now);
	const from = `FROM requests r JOIN categories c ON c.code = r.category_code JOIN grids g ON g.code = r.grid_code
		LEFT JOIN departments d ON d.id = r.department_id WHERE ${w.text}`;
	const limit = w.param(f.limit);
	const offset = w.param(f.offset);
	const rows = await db.query<RequestRow>(`SELECT ${COLUMNS(nowP)} ${from}
		ORDER BY overdue DESC, "hoursLeft" ASC NULLS LAST, (r.priority = 'urgent') DESC, r.reported_at DESC, r.id
		LIMIT ${limit} OFFSET ${offset}`, w.params);
	return rows;
}
