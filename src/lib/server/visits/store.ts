// Saved visits: create from an itinerary, read with the 四不两直 rule, re-time after a drag or a lock.
// An unannounced visit that is not done is seen only by its leader and admins: never by the grids,
// communities or departments on its route.
import { ApiError, badParam, notFound } from '../../domain/apierror';
import type { SessionUser } from '../auth/user';
import type { Database, Queryable } from '../db/client';
import { researchTopicExists } from '../research/topics';
import { computeItinerary, type ItineraryRequest, type Itinerary } from './itinerary';
import { VISIT_TYPES, VISIT_PAGE_SIZE, type VisitFilter, type VisitType } from '../../domain/visits';
import { join, sql } from '../db/sql';

export interface VisitMeta { title: string; visitType: (typeof VISIT_TYPES)[number]; unannounced: boolean; researchTopicId: number | null; leaderId: number }

export function parseVisitMeta(body: any, user: SessionUser): VisitMeta {
	const title = typeof body?.title === 'string' ? body.title.trim() : '';
	if (!title || title.length > 100) throw badParam('title', '请填写走访标题（title），不超过 100 字');
	if (!VISIT_TYPES.includes(body?.visitType)) throw badParam('visitType', `走访类型（visitType）须是 宣讲 publicity、调研 research、接访 petition_reception、现场办公 onsite_office 之一，收到“${body?.visitType ?? ''}”`);
	// the 调研课题 the stops came from; `planId` is its old name, still read
	const topic = body?.researchTopicId ?? body?.planId;
	const researchTopicId = topic == null || topic === '' ? null : Number(topic);
	if (researchTopicId !== null && !Number.isSafeInteger(researchTopicId)) throw badParam('researchTopicId', '调研课题编号（researchTopicId）须是整数');
	return { title, visitType: body.visitType, unannounced: body?.unannounced === true, researchTopicId, leaderId: user.id };
}

/** SQL-side visibility of visits to `user` (alias v). */
export function canSee(user: SessionUser, v: { leader_id: number; unannounced: boolean; status: string }): boolean {
	if (user.role === 'admin' || v.leader_id === user.id) return true;
	if (user.role === 'screen') return false;
	return !v.unannounced || v.status === 'done';
}

const at = (date: string, min: number) => new Date(Date.parse(`${date}T00:00:00+08:00`) + Math.round(min) * 60_000);

async function writeStops(tx: Queryable, visitId: number, req: ItineraryRequest, itinerary: Itinerary) {
	await tx.sql`DELETE FROM visit_stops WHERE visit_id = ${visitId}`;
	const byId = new Map(req.stops.map((s) => [s.id, s]));
	for (const row of itinerary.view.rows) {
		const s = byId.get(row.id)!;
		await tx.sql`
			INSERT INTO visit_stops (visit_id, seq, grid_code, name, purpose, must_visit, dwell_min, window_start, window_end, arrive_at, depart_at, geom, locked, source, address)
			SELECT ${visitId}, ${row.seq}, g.code, ${s.name}, ${s.purpose}, ${s.mustVisit}, ${s.dwellMin},
			  ${s.window ? at(req.date, s.window.start) : null}, ${s.window ? at(req.date, s.window.end) : null},
			  ${at(req.date, minutesOf(row.start))}, ${at(req.date, minutesOf(row.depart))}, ST_SetSRID(ST_MakePoint(${s.lon}, ${s.lat}), 4326),
			  ${s.lockedSeq != null}, ${s.source}, ${s.address}
			FROM (SELECT 1) one LEFT JOIN grids g ON g.code = coalesce(${s.gridCode},
			  (SELECT code FROM grids WHERE valid_to IS NULL AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(${s.lon}, ${s.lat}), 4326)) ORDER BY code LIMIT 1))`;
	}
	const line = [req.start, ...itinerary.view.rows.map((r) => byId.get(r.id)!), req.end].map((p) => `${p.lon} ${p.lat}`).join(',');
	const stored: StoredItinerary = { request: req, result: itinerary };
	await tx.sql`UPDATE visits SET route = ST_GeomFromText(${`LINESTRING(${line})`}, 4326), plan = ${JSON.stringify(stored)} WHERE id = ${visitId}`;
}

/** "09:05" or "00:05+1" back to minutes after the visit day's midnight. */
function minutesOf(text: string): number {
	const [hm, day] = text.split('+');
	const [h, m] = hm.split(':').map(Number);
	return (Number(day) || 0) * 1440 + h * 60 + m;
}

export async function createVisit(db: Database, user: SessionUser, meta: VisitMeta, req: ItineraryRequest): Promise<{ id: number; itinerary: Itinerary }> {
	const itinerary = await computeItinerary(req);
	const id = await db.transaction(async (tx) => {
		if (meta.researchTopicId !== null) {
			if (!(await researchTopicExists(tx, meta.researchTopicId))) throw badParam('researchTopicId', `调研课题 ${meta.researchTopicId} 不存在`);
		}
		const [{ id }] = await tx.sql<{ id: number }>`
			INSERT INTO visits (leader_id, plan_id, title, visit_type, unannounced, status, planned_date)
			VALUES (${meta.leaderId}, ${meta.researchTopicId}, ${meta.title}, ${meta.visitType}, ${meta.unannounced}, 'planned', ${req.date}) RETURNING id`;
		await writeStops(tx, id, req, itinerary);
		return id;
	});
	return { id, itinerary };
}

/**
 * The itinerary saved with a visit, stored in the `visits.plan` column (docs/glossary.md, "stored
 * as"). Visits recorded without one (the demo district's past visits) store '{}': read as null.
 */
export interface StoredItinerary { request: ItineraryRequest; result: Itinerary }

export interface VisitRow { id: number; leader_id: number; leader_name: string; title: string; visit_type: string; unannounced: boolean; status: string; planned_date: string; itinerary: StoredItinerary | null; findings: string; decisions: string; finished_at: Date | null }

function storedItinerary(value: unknown): StoredItinerary | null {
	const v = (typeof value === 'string' ? JSON.parse(value) : value) as Partial<StoredItinerary> | null;
	return v?.request?.stops && v.result?.view ? (v as StoredItinerary) : null;
}

/** The visit if `user` may see it; 404 otherwise (an unannounced visit does not admit it exists). */
export async function getVisit(db: Queryable, user: SessionUser, id: number): Promise<VisitRow> {
	const [v] = await db.sql<Omit<VisitRow, 'itinerary'> & { itinerary: unknown }>`
		SELECT v.id, v.leader_id, u.display_name AS leader_name, v.title, v.visit_type, v.unannounced, v.status,
		  to_char(v.planned_date, 'YYYY-MM-DD') AS planned_date, v.plan AS itinerary, v.findings, v.decisions, v.finished_at
		FROM visits v JOIN users u ON u.id = v.leader_id WHERE v.id = ${id}`;
	if (!v || !canSee(user, v)) throw notFound(`走访 ${id} 不存在或无权查看`, 'id');
	return { ...v, itinerary: storedItinerary(v.itinerary) };
}

export interface RecordedStop { seq: number; name: string; purpose: string; arrive: string | null; depart: string | null; lon: number; lat: number }

/** The stops as recorded in visit_stops: what a visit without a stored itinerary shows. */
export async function recordedStops(db: Queryable, visitId: number): Promise<RecordedStop[]> {
	return db.sql<RecordedStop>`
		SELECT seq, name, purpose, to_char(arrive_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS arrive,
		  to_char(depart_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS depart, ST_X(geom) AS lon, ST_Y(geom) AS lat
		FROM visit_stops WHERE visit_id = ${visitId} ORDER BY seq`;
}

export function requireOwner(user: SessionUser, v: VisitRow): void {
	if (user.role !== 'admin' && v.leader_id !== user.id) throw new ApiError(403, 'forbidden', '只有本人或管理员可以修改这次走访');
}

/** Re-times a planned visit in the order the leader arranged (drag, lock), and saves it. */
export async function reorderVisit(db: Database, user: SessionUser, id: number, order: string[], locked: string[]): Promise<Itinerary> {
	const v = await getVisit(db, user, id);
	requireOwner(user, v);
	if (v.status !== 'planned') throw new ApiError(409, 'visit_closed', '走访已结束或取消，路线不能再调整');
	if (!v.itinerary) throw new ApiError(409, 'no_itinerary', '这次走访没有保存路线（未计算路线），不能调整顺序');
	const req = v.itinerary.request;
	const known = new Set(req.stops.map((s) => s.id));
	const bad = order.find((x) => !known.has(x));
	if (bad) throw badParam('order', `顺序（order）中有未知的走访点：${bad}`);
	const lockSet = new Set(locked);
	const stops = req.stops.map((s) => ({ ...s, lockedSeq: lockSet.has(s.id) ? order.indexOf(s.id) + 1 || null : null }));
	const next: ItineraryRequest = { ...req, stops, order };
	const itinerary = { ...(await computeItinerary(next)), leftOut: v.itinerary.result.leftOut ?? [] };
	await db.transaction((tx) => writeStops(tx, id, { ...next, order: null }, itinerary));
	return itinerary;
}

/** Who sees a visit (四不两直): admins all; the leader their own; others every announced or finished one. */
const visibleTo = (user: SessionUser) =>
	sql`(${user.role === 'admin'} OR v.leader_id = ${user.id} OR (${user.role !== 'screen'} AND (NOT v.unannounced OR v.status = 'done')))`;

function filtered(user: SessionUser, f: VisitFilter, withType = true) {
	return join([
		visibleTo(user),
		f.from ? sql`v.planned_date >= ${f.from}::date` : sql`true`,
		f.to ? sql`v.planned_date <= ${f.to}::date` : sql`true`,
		f.leader ? sql`v.leader_id = ${f.leader}` : sql`true`,
		withType && f.type ? sql`v.visit_type = ${f.type}` : sql`true`
	], sql` AND `);
}

const ALL: VisitFilter = { from: null, to: null, type: null, leader: null, page: 1 };

/**
 * One page of the visits this user may see (own first, newest first), its total, the counts by
 * 四下基层 type over the filter without its type (so every type's count shows beside the chosen
 * one), and the leaders to filter by.
 */
export async function listVisits(db: Queryable, user: SessionUser, f: VisitFilter = ALL) {
	const rows = await db.sql<VisitRow & { stops: number; requests: number }>`
		SELECT v.id, v.leader_id, u.display_name AS leader_name, v.title, v.visit_type, v.unannounced, v.status,
		  to_char(v.planned_date, 'YYYY-MM-DD') AS planned_date,
		  (SELECT count(*) FROM visit_stops s WHERE s.visit_id = v.id) AS stops,
		  (SELECT count(*) FROM requests r WHERE r.visit_id = v.id) AS requests
		FROM visits v JOIN users u ON u.id = v.leader_id
		WHERE ${filtered(user, f)}
		ORDER BY (v.leader_id = ${user.id}) DESC, v.planned_date DESC, v.id DESC
		LIMIT ${VISIT_PAGE_SIZE} OFFSET ${(f.page - 1) * VISIT_PAGE_SIZE}`;
	const counts = await db.sql<{ visit_type: VisitType; n: number }>`
		SELECT v.visit_type, count(*)::int AS n FROM visits v WHERE ${filtered(user, f, false)} GROUP BY v.visit_type`;
	const byType = Object.fromEntries(VISIT_TYPES.map((t) => [t, counts.find((c) => c.visit_type === t)?.n ?? 0])) as Record<VisitType, number>;
	const total = f.type ? byType[f.type] : Object.values(byType).reduce((a, b) => a + b, 0);
	const leaders = await db.sql<{ id: number; name: string; n: number }>`
		SELECT u.id, u.display_name AS name, count(*)::int AS n FROM visits v JOIN users u ON u.id = v.leader_id
		WHERE ${visibleTo(user)} GROUP BY u.id, u.display_name ORDER BY n DESC, u.id`;
	return { rows, total, byType, leaders, page: f.page, pageSize: VISIT_PAGE_SIZE, pages: Math.max(1, Math.ceil(total / VISIT_PAGE_SIZE)) };
}

/** Every stop of the filtered visits (all pages: the map shows the whole period), for the visits map. */
export function visitStopsOnMap(db: Queryable, user: SessionUser, f: VisitFilter) {
	return db.sql<{ visit_id: number; title: string; visit_type: VisitType; planned_date: string; leader_name: string; name: string; lon: number; lat: number }>`
		SELECT v.id AS visit_id, v.title, v.visit_type, to_char(v.planned_date, 'YYYY-MM-DD') AS planned_date, u.display_name AS leader_name,
		  s.name, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat
		FROM visits v JOIN users u ON u.id = v.leader_id JOIN visit_stops s ON s.visit_id = v.id
		WHERE ${filtered(user, f)} ORDER BY v.planned_date, v.id, s.seq`;
}
