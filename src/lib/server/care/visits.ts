// Recording a 关爱走访 (care visit): the situation, the help given (帮扶) and the next step, for a
// household on a care list inside the visitor's reach. Exactly once per idempotency key, so an
// offline outbox replaying it, or a double tap, records one visit.
import { ApiError, badParam } from '../../domain/apierror';
import { householdCareDays, type CareVisitInput } from '../../domain/care';
import type { Actor } from '../../domain/workflow';
import type { Database, Queryable } from '../db/client';
import { sql } from '../db/sql';
import { afterConflict, bodyHash, checkKey, claimKey, keyReused } from '../requests/idempotency';
import { careDays } from './frequencies';

export interface CareVisitRecorded {
	id: number; householdId: number; visitedAt: Date; situation: string; helpKind: string; helpText: string | null; nextStep: string | null;
	/** the household's place, for 转为诉求 */
	address: string; lon: number; lat: number;
	replayed: boolean;
}

const COLUMNS = sql`v.id, v.household_id AS "householdId", v.visited_at AS "visitedAt", v.situation, v.help_kind AS "helpKind",
	v.help_text AS "helpText", v.next_step AS "nextStep", h.address, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat`;

/** The roles that make care visits: the grid's worker in their grids, supervisors (leaders) in their area, admins. */
const VISITORS = ['grid_manager', 'leader', 'admin'];

export async function recordCareVisit(db: Database, actor: Actor, input: CareVisitInput, key: string | null = null, now = new Date()): Promise<CareVisitRecorded> {
	if (!VISITORS.includes(actor.role)) throw new ApiError(403, 'forbidden', '当前账号无权记录关爱走访');
	// a discriminator, so a key used for a 点单 or a 敲门 never matches a care visit's body
	const hash = key ? bodyHash({ careVisit: input }) : '';
	if (key && (await checkKey(db, actor.id, key, hash)) === 'same') return replay(db, actor.id, key);
	try {
		return await db.transaction(async (tx) => {
			if (key) await claimKey(tx, actor.id, key, hash);
			return insert(tx, actor, input, key, input.visitedAt ? new Date(input.visitedAt) : now);
		});
	} catch (e) {
		if (!key) throw e;
		await afterConflict(db, e, actor.id, key, hash);
		return replay(db, actor.id, key);
	}
}

async function replay(db: Queryable, actorId: number, key: string): Promise<CareVisitRecorded> {
	const [v] = await db.sql<Omit<CareVisitRecorded, 'replayed'>>`
		SELECT ${COLUMNS} FROM care_visits v JOIN households h ON h.id = v.household_id
		WHERE v.idempotency_key = ${key} AND v.visitor_id = ${actorId}`;
	if (!v) throw keyReused('已用于另一次提交');
	return { ...v, replayed: true };
}

async function insert(tx: Queryable, actor: Actor, input: CareVisitInput, key: string | null, at: Date): Promise<CareVisitRecorded> {
	// row-level security hides households outside the reader's area: "不存在" for them as for a wrong id
	const [h] = await tx.sql<{ grid_code: string; tags: string[] }>`SELECT grid_code, tags FROM households WHERE id = ${input.householdId}`;
	if (!h) throw badParam('householdId', `住户（householdId）${input.householdId} 不存在`);
	if (actor.role === 'grid_manager') {
		const [own] = await tx.sql`SELECT 1 FROM user_grids WHERE user_id = ${actor.id} AND grid_code = ${h.grid_code}`;
		if (!own) throw new ApiError(403, 'forbidden', '只能记录自己网格内住户的关爱走访');
	}
	if (householdCareDays(h.tags, await careDays(tx)) === null) throw badParam('householdId', '该住户不在关爱名单上（没有需定期走访的标签）');
	const [v] = await tx.sql<Omit<CareVisitRecorded, 'replayed'>>`
		WITH v AS (
			INSERT INTO care_visits (household_id, visitor_id, visited_at, situation, help_kind, help_text, next_step, idempotency_key)
			VALUES (${input.householdId}, ${actor.id}, ${at}, ${input.situation}, ${input.helpKind}, ${input.helpText}, ${input.nextStep}, ${key})
			RETURNING *)
		SELECT ${COLUMNS} FROM v JOIN households h ON h.id = v.household_id`;
	return { ...v, replayed: false };
}

/** 关爱走访 recorded by one person in [from, to) (the worker page's "已访"). */
export async function careVisitsBy(db: Queryable, userId: number, from: Date, to: Date): Promise<number> {
	const [r] = await db.sql<{ n: number }>`
		SELECT count(*)::int AS n FROM care_visits WHERE visitor_id = ${userId} AND visited_at >= ${from} AND visited_at < ${to}`;
	return r.n;
}
