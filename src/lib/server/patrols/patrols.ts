// 巡查: a worker's finished patrols — recorded once per phone id (client_id), listed with what the
// worker reported while on it (诉求, 敲门, 关爱走访 by the same person in the same time), and deleted
// past their keeping period. Who reads is row-level security's (migration 0031); a patrol's track
// is where a person walked, so nothing here reads past it.
import { ApiError } from '../../domain/apierror';
import { patrolKeepDays, trackLength, type PatrolInput } from '../../domain/patrol';
import { REPORT_ACTION } from '../../domain/workers';
import { systemOf } from '../access/userdb';
import type { Queryable } from '../db/client';
import { sql } from '../db/sql';

export interface PatrolRow {
	id: number; user_id: number; started_at: Date; ended_at: Date; distance_m: number; fixes: number; note: string | null;
	reports: number; knocks: number; care_visits: number;
}

export interface PatrolRecorded extends PatrolRow { replayed: boolean }


/** Days patrols are kept (PATROL_KEEP_DAYS, else the domain's default). */
export const keepDays = () => patrolKeepDays(process.env.PATROL_KEEP_DAYS);

/** Deletes every patrol that ended more than keepDays() ago (as the system: nobody else may delete). */
export async function purgePatrols(db: Queryable, now = new Date()): Promise<number> {
	const cutoff = new Date(now.getTime() - keepDays() * 86_400_000);
	return (await systemOf(db).sql`DELETE FROM patrols WHERE ended_at < ${cutoff} RETURNING id`).length;
}

/** A patrol's figures, and what its worker reported while on it (same person, same time). */
const COLUMNS = sql`p.id, p.user_id, p.started_at, p.ended_at, p.distance_m, cardinality(p.fix_seconds) AS fixes, p.note,
	(SELECT count(*)::int FROM request_events e WHERE e.actor_id = p.user_id AND e.action = ${REPORT_ACTION} AND e.at BETWEEN p.started_at AND p.ended_at) AS reports,
	(SELECT count(*)::int FROM door_knocks k WHERE k.visitor_id = p.user_id AND k.visited_at BETWEEN p.started_at AND p.ended_at) AS knocks,
	(SELECT count(*)::int FROM care_visits c WHERE c.visitor_id = p.user_id AND c.visited_at BETWEEN p.started_at AND p.ended_at) AS care_visits`;

/**
 * Records a finished patrol of `userId`: the line of its fixes (none or one fix: no line) and its
 * length. The same clientId again returns the first record (replayed) and writes nothing; a
 * clientId already used for a patrol with another start is refused.
 */
export async function recordPatrol(db: Queryable, userId: number, p: PatrolInput): Promise<PatrolRecorded> {
	const line = p.fixes.length >= 2 ? `LINESTRING(${p.fixes.map((f) => `${f.lon} ${f.lat}`).join(', ')})` : null;
	const started = p.startedAt.getTime();
	let inserted: { id: number }[];
	try {
		inserted = await db.sql<{ id: number }>`
			INSERT INTO patrols (user_id, client_id, started_at, ended_at, track, fix_seconds, fix_accuracy, distance_m, note)
			VALUES (${userId}, ${p.clientId}::uuid, ${p.startedAt}, ${p.endedAt},
			        CASE WHEN ${line}::text IS NULL THEN NULL ELSE ST_GeomFromText(${line}::text, 4326) END,
			        ${p.fixes.map((f) => Math.max(0, Math.round((f.t - started) / 1000)))}::int[],
			        ${p.fixes.map((f) => f.acc)}::real[], ${line ? trackLength(p.fixes) : 0}, ${p.note})
			ON CONFLICT (user_id, client_id) DO NOTHING RETURNING id`;
	} catch (e) {
		if ((e as { code?: string })?.code === '42501') throw new ApiError(403, 'forbidden', '只能记录本人的巡查');
		throw e;
	}
	const [row] = await db.sql<PatrolRow>`SELECT ${COLUMNS} FROM patrols p WHERE p.user_id = ${userId} AND p.client_id = ${p.clientId}::uuid`;
	if (!inserted.length && Math.abs(new Date(row.started_at).getTime() - started) > 1000) {
		throw new ApiError(422, 'idempotency_key_reused', '巡查编号（clientId）已用于另一次巡查');
	}
	await purgePatrols(db);
	return { ...row, replayed: !inserted.length };
}

/** One worker's patrols that started in [from, to), newest first (at most `limit`), and how many there are. */
export async function patrolsOf(db: Queryable, userId: number, from: Date, to: Date, limit = 50): Promise<{ rows: PatrolRow[]; total: number }> {
	const rows = await db.sql<PatrolRow & { total: number }>`
		SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM patrols p
		WHERE p.user_id = ${userId} AND p.started_at >= ${from} AND p.started_at < ${to}
		ORDER BY p.started_at DESC LIMIT ${limit}`;
	return { total: rows[0]?.total ?? 0, rows: rows.map(({ total: _t, ...r }) => r) };
}

/** A patrol's track as [lon, lat] pairs, or null when the reader may not see it (or it is gone). */
export async function patrolTrack(db: Queryable, id: number): Promise<{ userId: number; line: [number, number][] } | null> {
	const [r] = await db.sql<{ user_id: number; coords: string | null }>`
		SELECT user_id, ST_AsGeoJSON(track, 6) AS coords FROM patrols WHERE id = ${id}`;
	if (!r) return null;
	return { userId: r.user_id, line: r.coords ? (JSON.parse(r.coords).coordinates as [number, number][]) : [] };
}
