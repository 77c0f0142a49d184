// 专项行动: defining, editing and ending a campaign (admins, leaders in their jurisdiction), the
// campaigns running in a worker's grids, and a worker's check of one household — its "否" items
// become hazards through the ordinary report path (hazards/report.ts), in the check's transaction.
// Who may do what is row-level security's (migration 0033); the messages here say it in words first.
import { ApiError, badParam, notFound } from '../../domain/apierror';
import {
	failedItems, findingTitle, type CampaignCheckInput, type CampaignEdit, type CampaignInput, type ChecklistItem
} from '../../domain/campaign';
import type { HazardActor } from '../../domain/hazardflow';
import type { HazardType } from '../../domain/hazard';
import { localDate } from '../../domain/time';
import type { Database, Queryable } from '../db/client';
import { fromDatabaseError, isUniqueViolation } from '../http/errors';
import { insertHazard } from '../hazards/report';
import { afterConflict, bodyHash, checkKey, claimKey, keyReused } from '../requests/idempotency';

export interface Campaign {
	id: number; name: string; startsOn: string; endsOn: string; areaCodes: string[]; hazardTypes: HazardType[];
	target: 'household'; checklist: ChecklistItem[]; endedAt: Date | null; createdBy: number | null; createdAt: Date;
}

const COLUMNS = `id, name, to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn",
	area_codes AS "areaCodes", hazard_types AS "hazardTypes", target, checklist, ended_at AS "endedAt", created_by AS "createdBy", created_at AS "createdAt"`;

/** Every code must name an area or a grid the definer sees; a leader's reach is checked by row-level security. */
async function checkAreas(tx: Queryable, codes: readonly string[]): Promise<void> {
	const found = await tx.sql<{ code: string }>`
		SELECT code FROM areas WHERE code = ANY (${codes as string[]}::text[]) UNION SELECT code FROM grids WHERE code = ANY (${codes as string[]}::text[])`;
	const missing = codes.filter((c) => !found.some((f) => f.code === c));
	if (missing.length) throw badParam('areaCodes', `行动范围（areaCodes）中没有这些区域：${missing.join('、')}`);
}

const outOfReach = (e: unknown) => {
	if (fromDatabaseError(e)?.code === 'forbidden') return new ApiError(403, 'forbidden', '只能在自己的辖区内定义或修改专项行动（管理员、领导）', 'areaCodes');
	return e;
};

export async function createCampaign(db: Database, userId: number, c: CampaignInput): Promise<number> {
	try {
		return await db.transaction(async (tx) => {
			await checkAreas(tx, c.areaCodes);
			const [{ id }] = await tx.sql<{ id: number }>`
				INSERT INTO campaigns (name, starts_on, ends_on, area_codes, hazard_types, target, checklist, created_by)
				VALUES (${c.name}, ${c.startsOn}::date, ${c.endsOn}::date, ${c.areaCodes}::text[], ${c.hazardTypes}::text[], ${c.target},
				        ${JSON.stringify(c.checklist)}::jsonb, ${userId}) RETURNING id`;
			return id;
		});
	} catch (e) {
		throw outOfReach(e);
	}
}

export async function getCampaign(db: Queryable, id: number): Promise<Campaign> {
	const [c] = await db.query<Campaign>(`SELECT ${COLUMNS} FROM campaigns WHERE id = $1`, [id]);
	if (!c) throw notFound(`专项行动 ${id} 不存在`);
	return c;
}

/** The newest 200, with the checks and findings the reader can see. */
export async function listCampaigns(db: Queryable): Promise<(Campaign & { checks: number; findings: number })[]> {
	return db.query(`SELECT ${COLUMNS},
		(SELECT count(*)::int FROM campaign_checks k WHERE k.campaign_id = campaigns.id) AS checks,
		(SELECT count(*)::int FROM campaign_checks k WHERE k.campaign_id = campaigns.id AND k.failed > 0) AS findings
		FROM campaigns ORDER BY ends_on DESC, id DESC LIMIT 200`);
}

/** The streets and communities a definer may pick (their jurisdiction; an admin's is the district). */
export function areaChoices(db: Queryable) {
	return db.sql<{ code: string; name: string; level: 'street' | 'community' }>`
		SELECT code, name, level FROM areas WHERE level <> 'district' AND code LIKE (SELECT app_grid_prefix()) || '%' ORDER BY code`;
}

async function update(db: Database, id: number, run: (tx: Queryable) => Promise<unknown[]>): Promise<void> {
	try {
		await db.transaction(async (tx) => {
			await getCampaign(tx, id);
			if (!(await run(tx)).length) throw new ApiError(403, 'forbidden', '只能修改自己辖区内的专项行动（管理员、领导）');
		});
	} catch (e) {
		throw outOfReach(e);
	}
}

export const editCampaign = (db: Database, id: number, e: CampaignEdit) =>
	update(db, id, (tx) => tx.sql`UPDATE campaigns SET name = ${e.name}, ends_on = ${e.endsOn}::date, updated_at = now() WHERE id = ${id} RETURNING id`);

/** 提前结束: once; no check is recorded after it. */
export const endCampaign = (db: Database, id: number, now = new Date()) =>
	update(db, id, (tx) => tx.sql`UPDATE campaigns SET ended_at = coalesce(ended_at, ${now}), updated_at = now() WHERE id = ${id} RETURNING id`);

/** The campaigns running today in one of the user's own grids (网格员's phone). */
export function runningForWorker(db: Queryable, userId: number, now = new Date()) {
	const today = localDate(now);
	return db.query<Campaign & { targets: number; checked: number }>(
		`SELECT ${COLUMNS},
		   (SELECT count(*)::int FROM households h JOIN user_grids ug ON ug.grid_code = h.grid_code AND ug.user_id = $1
		     WHERE h.grid_code LIKE ANY (SELECT a || '%' FROM unnest(c.area_codes) a)) AS targets,
		   (SELECT count(*)::int FROM campaign_checks k JOIN user_grids ug ON ug.grid_code = k.grid_code AND ug.user_id = $1
		     WHERE k.campaign_id = c.id) AS checked
		 FROM campaigns c
		 WHERE c.ended_at IS NULL AND $2::date BETWEEN c.starts_on AND c.ends_on
		   AND EXISTS (SELECT 1 FROM user_grids ug, unnest(c.area_codes) a WHERE ug.user_id = $1 AND ug.grid_code LIKE a || '%')
		 ORDER BY c.ends_on, c.id`, [userId, today]);
}

export interface CheckTarget { id: number; address: string; gridCode: string; checkedAt: Date | null; failed: number | null }

/** The households of the worker's grids in the campaign's area, the unchecked first (address order). */
export function targetsForWorker(db: Queryable, userId: number, campaignId: number) {
	return db.sql<CheckTarget>`
		SELECT h.id, h.address, h.grid_code AS "gridCode", k.checked_at AS "checkedAt", k.failed
		FROM campaigns c
		JOIN households h ON h.grid_code LIKE ANY (SELECT a || '%' FROM unnest(c.area_codes) a)
		JOIN user_grids ug ON ug.grid_code = h.grid_code AND ug.user_id = ${userId}
		LEFT JOIN campaign_checks k ON k.campaign_id = c.id AND k.household_id = h.id
		WHERE c.id = ${campaignId}
		ORDER BY k.id IS NOT NULL, h.address, h.id LIMIT 2000`;
}

export interface CheckRecorded {
	id: number; campaignId: number; householdId: number; checkedAt: Date; failed: number;
	hazards: { id: number; code: string }[]; replayed: boolean;
}

/**
 * Records one household's check. With a key (the outbox), the same key and body records it once
 * and answers the first record again; the hazards its "否" items found are created in the same
 * transaction, each linked to the check, each starting the 交办→整改→复查→销号 loop at 待整改.
 */
export async function recordCampaignCheck(
	db: Database, actor: HazardActor, input: CampaignCheckInput, key: string | null, now = new Date()
): Promise<CheckRecorded> {
	const hash = key ? bodyHash({ campaignCheck: input }) : '';
	if (key && (await checkKey(db, actor.id, key, hash)) === 'same') return replayCheck(db, actor.id, key);
	try {
		return await db.transaction(async (tx) => {
			if (key) await claimKey(tx, actor.id, key, hash);
			return await insertCheck(tx, actor, input, key, input.checkedAt ? new Date(input.checkedAt) : now);
		});
	} catch (e) {
		if (isUniqueViolation(e, 'campaign_checks_once')) throw new ApiError(409, 'conflict', '该住户在本次专项行动中已排查过，无需重复登记', 'householdId');
		if (!key || !isUniqueViolation(e, 'idempotency_key')) throw fromDatabaseError(e) ?? e;
		await afterConflict(db, e, actor.id, key, hash);
		return replayCheck(db, actor.id, key);
	}
}

async function replayCheck(db: Queryable, actorId: number, key: string): Promise<CheckRecorded> {
	const [k] = await db.sql<{ id: number }>`SELECT id FROM campaign_checks WHERE idempotency_key = ${key} AND worker_id = ${actorId}`;
	if (!k) throw keyReused('已用于另一次提交');
	return { ...(await checkById(db, k.id)), replayed: true };
}

async function checkById(db: Queryable, id: number): Promise<Omit<CheckRecorded, 'replayed'>> {
	const [k] = await db.sql<Omit<CheckRecorded, 'replayed' | 'hazards'>>`
		SELECT id, campaign_id AS "campaignId", household_id AS "householdId", checked_at AS "checkedAt", failed FROM campaign_checks WHERE id = ${id}`;
	const hazards = await db.sql<{ id: number; code: string }>`SELECT id, code FROM hazards WHERE campaign_check_id = ${id} ORDER BY id`;
	return { ...k, hazards };
}

async function insertCheck(tx: Queryable, actor: HazardActor, input: CampaignCheckInput, key: string | null, at: Date): Promise<CheckRecorded> {
	const c = await getCampaign(tx, input.campaignId).catch(() => { throw badParam('campaignId', `专项行动（campaignId）${input.campaignId} 不存在`); });
	const failed = failedItems(c.checklist, input.answers);
	const [h] = await tx.sql<{ grid_code: string; lon: number; lat: number }>`
		SELECT grid_code, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM households WHERE id = ${input.householdId}`;
	if (!h) throw badParam('householdId', `住户（householdId）${input.householdId} 不存在或不在你的网格内`);
	let id: number;
	try {
		[{ id }] = await tx.sql<{ id: number }>`
			INSERT INTO campaign_checks (campaign_id, household_id, grid_code, worker_id, checked_at, answers, notes, idempotency_key)
			VALUES (${c.id}, ${input.householdId}, ${h.grid_code}, ${actor.id}, ${at}, ${JSON.stringify(input.answers)}::jsonb, ${input.notes}, ${key})
			RETURNING id`;
	} catch (e) {
		if (fromDatabaseError(e)?.code === 'forbidden') throw new ApiError(403, 'forbidden', '只能排查自己网格内的住户', 'householdId');
		throw e;
	}
	for (const item of failed) {
		await insertHazard(tx, actor, {
			type: item.hazardType, severity: 1, title: findingTitle(c.name, item), description: input.notes,
			lon: h.lon, lat: h.lat, buildingId: null, sourceRequestId: null, sourceHouseholdId: input.householdId
		}, [], null, at, id);
	}
	return { ...(await checkById(tx, id)), replayed: false };
}
