// 敲门行动 in a grid manager's grids: households with their last visit, who has not been visited
// in N days, and recording a visit (door_knocks row + households.last_visit_at, together).
import { ApiError, badParam } from '../../domain/apierror';
import type { Actor } from '../../domain/workflow';
import type { Database, Queryable } from '../db/client';
import { maskedHouseholds } from '../pii/masked';
import { lastDays } from '../../domain/calendar';

export interface HouseholdRow { id: number; gridCode: string; address: string; head: string | null; tags: string[]; lastVisitAt: Date | null; due: boolean; lon: number; lat: number }

/** Households of `grids`, not-visited-in-`days` first (never visited first of all). */
export async function householdsInGrids(db: Queryable, grids: string[], days: number, now = new Date(), limit = 2000) {
	const since = lastDays(days, now).from; // 近 N 天: Beijing calendar days, today included
	const rows = await db.sql<HouseholdRow>`
		SELECT id, grid_code AS "gridCode", address, tags, last_visit_at AS "lastVisitAt",
		       (last_visit_at IS NULL OR last_visit_at <= ${since}) AS due, ST_X(geom) AS lon, ST_Y(geom) AS lat
		FROM households WHERE grid_code = ANY(${grids}::text[])
		ORDER BY due DESC, last_visit_at ASC NULLS FIRST, id LIMIT ${limit}`;
	const [c] = await db.sql<{ total: number; visited: number }>`
		SELECT count(*) AS total, count(*) FILTER (WHERE last_visit_at > ${since}) AS visited
		FROM households WHERE grid_code = ANY(${grids}::text[])`;
	const names = await maskedHouseholds(db, rows.map((r) => r.id));
	for (const r of rows) r.head = names.get(r.id)?.name ?? null;
	return { rows, total: Number(c.total), visited: Number(c.visited) };
}

export async function recordDoorKnock(db: Database, actor: Actor, householdId: number, note: string | null, at = new Date()) {
	if (note && note.length > 500) throw badParam('note', '走访记录（note）不能超过 500 个字');
	return db.transaction(async (tx) => {
		const [h] = await tx.sql<{ grid_code: string }>`SELECT grid_code FROM households WHERE id = ${householdId} FOR UPDATE`;
		if (!h) throw badParam('householdId', `住户（householdId）${householdId} 不存在`);
		if (actor.role === 'grid_manager') {
			const [own] = await tx.sql`SELECT 1 FROM user_grids WHERE user_id = ${actor.id} AND grid_code = ${h.grid_code}`;
			if (!own) throw new ApiError(403, 'forbidden', '只能记录自己网格内住户的走访');
		} else if (actor.role !== 'admin' && actor.role !== 'leader') {
			throw new ApiError(403, 'forbidden', '当前账号无权记录敲门走访');
		}
		const [k] = await tx.sql<{ id: number }>`INSERT INTO door_knocks (household_id, visitor_id, visited_at, note)
			VALUES (${householdId}, ${actor.id}, ${at}, ${note}) RETURNING id`;
		await tx.sql`UPDATE households SET last_visit_at = greatest(last_visit_at, ${at}) WHERE id = ${householdId}`;
		return { id: k.id, householdId, visitedAt: at };
	});
}
