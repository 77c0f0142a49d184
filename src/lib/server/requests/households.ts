// 敲门行动 in a grid manager's grids: households with their last visit, who has not been visited
// in N days, and recording a visit (door_knocks row + households.last_visit_at, together).
import { ApiError, badParam } from '../../domain/apierror';
import type { DoorKnockInput } from '../../domain/doorknock';
import type { Actor } from '../../domain/workflow';
import type { Database, Queryable } from '../db/client';
import { maskedHouseholds } from '../pii/masked';
import { lastDays } from '../../domain/calendar';
import { sql } from '../db/sql';
import { afterConflict, bodyHash, checkKey, claimKey, keyReused } from './idempotency';

export interface HouseholdRow {
	id: number; gridCode: string; address: string; head: string | null; tags: string[]; lastVisitAt: Date | null; due: boolean; lon: number; lat: number;
	/** what the latest door-knock found (shown with the household; its registered tags stay as they are) */
	lastMet: string | null; foundTags: string[]; lastNeeds: string | null;
}

/** Households of `grids`, not-visited-in-`days` first (never visited first of all). */
export async function householdsInGrids(db: Queryable, grids: string[], days: number, now = new Date(), limit = 2000) {
	const since = lastDays(days, now).from; // 近 N 天: Beijing calendar days, today included
	const rows = await db.sql<HouseholdRow>`
		SELECT h.id, h.grid_code AS "gridCode", h.address, h.tags, h.last_visit_at AS "lastVisitAt",
		       (h.last_visit_at IS NULL OR h.last_visit_at <= ${since}) AS due, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat,
		       k.met AS "lastMet", coalesce(k.tags, '{}') AS "foundTags", k.needs AS "lastNeeds"
		FROM households h
		LEFT JOIN LATERAL (SELECT met, tags, needs FROM door_knocks d WHERE d.household_id = h.id ORDER BY visited_at DESC, id DESC LIMIT 1) k ON true
		WHERE h.grid_code = ANY(${grids}::text[])
		ORDER BY due DESC, h.last_visit_at ASC NULLS FIRST, h.id LIMIT ${limit}`;
	const [c] = await db.sql<{ total: number; visited: number }>`
		SELECT count(*) AS total, count(*) FILTER (WHERE last_visit_at > ${since}) AS visited
		FROM households WHERE grid_code = ANY(${grids}::text[])`;
	const names = await maskedHouseholds(db, rows.map((r) => r.id));
	for (const r of rows) r.head = names.get(r.id)?.name ?? null;
	return { rows, total: Number(c.total), visited: Number(c.visited) };
}

export interface DoorKnockRecorded {
	id: number;
	householdId: number;
	visitedAt: Date;
	met: string | null;
	tags: string[];
	needs: string | null;
	note: string | null;
	/** the household's place, for 转为诉求 */
	address: string;
	lon: number;
	lat: number;
	/** true when an earlier submission with the same idempotency key recorded it */
	replayed: boolean;
}

/**
 * Records one 敲门行动 visit (door_knocks row + households.last_visit_at, together). With an
 * idempotency key, a replay (an offline outbox syncing twice, a double tap) answers the first
 * record; the same key with another body is a 422. What was found at the door stays on the knock:
 * households.tags is the registered 台账 (低保 and 特困 are granted by 民政, not at the door).
 */
export async function recordDoorKnock(db: Database, actor: Actor, input: DoorKnockInput, key: string | null = null, now = new Date()): Promise<DoorKnockRecorded> {
	// a discriminator, so a key once used for a 点单 never matches a knock's body
	const hash = key ? bodyHash({ doorKnock: input }) : '';
	if (key && (await checkKey(db, actor.id, key, hash)) === 'same') return replayKnock(db, actor.id, key);
	try {
		return await db.transaction(async (tx) => {
			if (key) await claimKey(tx, actor.id, key, hash);
			return insertKnock(tx, actor, input, key, input.visitedAt ? new Date(input.visitedAt) : now);
		});
	} catch (e) {
		if (!key) throw e;
		// our own concurrent retry committed first (→ its answer), or another user's key (→ 422)
		await afterConflict(db, e, actor.id, key, hash);
		return replayKnock(db, actor.id, key);
	}
}

const KNOCK_COLUMNS = sql`k.id, k.household_id AS "householdId", k.visited_at AS "visitedAt", k.met, k.tags, k.needs, k.note,
	h.address, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat`;

async function replayKnock(db: Queryable, actorId: number, key: string): Promise<DoorKnockRecorded> {
	// only the visitor's own knock: another user's answer is never replayed
	const [k] = await db.sql<Omit<DoorKnockRecorded, 'replayed'>>`
		SELECT ${KNOCK_COLUMNS} FROM door_knocks k JOIN households h ON h.id = k.household_id
		WHERE k.idempotency_key = ${key} AND k.visitor_id = ${actorId}`;
	if (!k) throw keyReused('已用于另一次提交');
	return { ...k, replayed: true };
}

async function insertKnock(tx: Queryable, actor: Actor, input: DoorKnockInput, key: string | null, at: Date): Promise<DoorKnockRecorded> {
	const [h] = await tx.sql<{ grid_code: string }>`SELECT grid_code FROM households WHERE id = ${input.householdId} FOR UPDATE`;
	if (!h) throw badParam('householdId', `住户（householdId）${input.householdId} 不存在`);
	if (actor.role === 'grid_manager') {
		const [own] = await tx.sql`SELECT 1 FROM user_grids WHERE user_id = ${actor.id} AND grid_code = ${h.grid_code}`;
		if (!own) throw new ApiError(403, 'forbidden', '只能记录自己网格内住户的走访');
	} else if (actor.role !== 'admin' && actor.role !== 'leader') {
		throw new ApiError(403, 'forbidden', '当前账号无权记录敲门走访');
	}
	const [k] = await tx.sql<Omit<DoorKnockRecorded, 'replayed'>>`
		WITH k AS (
			INSERT INTO door_knocks (household_id, visitor_id, visited_at, note, met, tags, needs, idempotency_key)
			VALUES (${input.householdId}, ${actor.id}, ${at}, ${input.note}, ${input.met}, ${input.tags}::text[], ${input.needs}, ${key})
			RETURNING *)
		SELECT ${KNOCK_COLUMNS} FROM k JOIN households h ON h.id = k.household_id`;
	// an outbox may deliver an older knock after a newer one: last_visit_at only moves forward
	await tx.sql`UPDATE households SET last_visit_at = greatest(last_visit_at, ${at}) WHERE id = ${input.householdId}`;
	return { ...k, replayed: false };
}
