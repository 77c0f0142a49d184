// 发现: a hazard reported from the field at a point (or a building), with photos. The grid is
// found from the point; the row, its 'report' event and its photos are written together; a retry
// with the same idempotency key (the phone's offline outbox) returns the first hazard.
// Until 交办 the hazard carries the rule's deadline counted from its discovery, so one nobody
// assigns is still flagged 超期; 交办 replaces it with the deadline counted from the assignment.
import { ApiError, badParam } from '../../domain/apierror';
import { hazardCode, rectifyDeadline, type HazardActor } from '../../domain/hazardflow';
import type { NewHazard } from '../../domain/hazardinput';
import { checkPhotos, type PhotoInput } from '../../domain/photos';
import { localDate } from '../../domain/time';
import type { Database, Queryable } from '../db/client';
import { fromDatabaseError } from '../http/errors';
import { bodyHash, exactlyOnce, keyReused } from '../requests/idempotency';
import type { StoredPhoto } from '../requests/photos';
import { gridAt } from '../requests/report';
import { recordHazardPhotos } from './photos';

export interface ReportedHazard { id: number; code: string; status: 'open'; version: number; gridCode: string; replayed: boolean }

export async function reportHazard(
	db: Database, actor: HazardActor, input: NewHazard, photos: readonly PhotoInput[], key: string | null, now = new Date()
): Promise<ReportedHazard> {
	return exactlyOnce(db, {
		userId: actor.id,
		key,
		hash: key ? bodyHash({ hazard: input, photos: photos.map((p) => ({ type: p.type, sha256: bodyHash(p.bytes) })) }) : '',
		photos,
		check: () => checkPhotos(photos, 'photos'),
		replay: () => replayReport(db, actor.id, key!),
		work: (tx, stored) => insertHazard(tx, actor, input, stored, key, now)
	});
}

async function replayReport(db: Queryable, actorId: number, key: string): Promise<ReportedHazard | null> {
	const [e] = await db.sql<{ action: string; id: number; code: string; version: number; grid_code: string }>`
		SELECT e.action, h.id, h.code, h.version, h.grid_code FROM hazard_events e JOIN hazards h ON h.id = e.hazard_id
		WHERE e.idempotency_key = ${key} AND e.actor_id = ${actorId}`;
	if (!e) return null;
	if (e.action !== 'report') throw keyReused('已用于另一次提交');
	return { id: e.id, code: e.code, status: 'open', version: e.version, gridCode: e.grid_code, replayed: true };
}

/** The report's write, inside the caller's transaction; a 专项行动 finding names its check (campaignCheckId). */
export async function insertHazard(
	tx: Queryable, actor: HazardActor, input: NewHazard, photos: readonly StoredPhoto[], key: string | null, now: Date, campaignCheckId: number | null = null
): Promise<ReportedHazard> {
	let { lon, lat } = input;
	if (input.buildingId !== null) {
		const [b] = await tx.sql<{ lon: number; lat: number }>`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM buildings WHERE id = ${input.buildingId}`;
		if (!b) throw badParam('buildingId', `楼栋（buildingId）${input.buildingId} 不存在或不在你的网格内`);
		if (lon === null || lat === null) ({ lon, lat } = b);
	}
	// the request or household it came from must be one the reporter can see (their RLS)
	if (input.sourceRequestId !== null && !(await tx.sql`SELECT 1 FROM requests WHERE id = ${input.sourceRequestId}`).length) {
		throw badParam('sourceRequestId', `来源诉求（sourceRequestId）${input.sourceRequestId} 不存在或不在你的范围内`);
	}
	if (input.sourceHouseholdId !== null && !(await tx.sql`SELECT 1 FROM households WHERE id = ${input.sourceHouseholdId}`).length) {
		throw badParam('sourceHouseholdId', `来源住户（sourceHouseholdId）${input.sourceHouseholdId} 不存在或不在你的网格内`);
	}
	const grid = await gridAt(tx, lon!, lat!);
	if (!grid) throw badParam('lon', `所选位置（${lon!.toFixed(5)}, ${lat!.toFixed(5)}）不在任何网格内，请在辖区范围内选点`);
	const [{ id }] = await tx.sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('hazards', 'id')) AS id`;
	const code = hazardCode(id, localDate(now));
	try {
		await tx.sql`
			INSERT INTO hazards (id, code, type, severity, status, title, description, grid_code, building_id, source_request_id, source_household_id,
			  campaign_check_id, found_at, rectify_deadline, created_by, geom)
			VALUES (${id}, ${code}, ${input.type}, ${input.severity}, 'open', ${input.title}, ${input.description}, ${grid.code}, ${input.buildingId},
			  ${input.sourceRequestId}, ${input.sourceHouseholdId}, ${campaignCheckId},
			  ${now}, ${rectifyDeadline(input.type, input.severity, now)}, ${actor.id}, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))`;
	} catch (e) {
		if (fromDatabaseError(e)?.code !== 'forbidden') throw e;
		throw new ApiError(403, 'forbidden', `所选位置在${grid.name}（${grid.code}），不在你可以上报的网格内，请在自己的网格内选点或请该网格的网格员上报`, 'lon');
	}
	const [{ id: eventId }] = await tx.sql<{ id: number }>`
		INSERT INTO hazard_events (hazard_id, from_status, to_status, action, actor_id, department_id, at, note, idempotency_key)
		VALUES (${id}, NULL, 'open', 'report', ${actor.id}, ${actor.departmentId}, ${now}, '发现上报', ${key}) RETURNING id`;
	await recordHazardPhotos(tx, id, eventId, 'found', photos, actor.id);
	return { id, code, status: 'open', version: 1, gridCode: grid.code, replayed: false };
}

export interface HazardSource { kind: 'request' | 'household'; id: number; label: string; title: string; lon: number; lat: number }

/** What a hazard found from a request or a household starts from (null when the reader cannot see it). */
export async function hazardSource(db: Queryable, requestId: number | null, householdId: number | null): Promise<HazardSource | null> {
	if (requestId && Number.isSafeInteger(requestId)) {
		const [r] = await db.sql<{ code: string; title: string; lon: number; lat: number }>`
			SELECT code, title, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM requests WHERE id = ${requestId}`;
		if (r) return { kind: 'request', id: requestId, label: `诉求 ${r.code}：${r.title}`, title: r.title.slice(0, 100), lon: r.lon, lat: r.lat };
	}
	if (householdId && Number.isSafeInteger(householdId) && householdId < 2 ** 31) {
		const [h] = await db.sql<{ address: string; lon: number; lat: number }>`
			SELECT address, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM households WHERE id = ${householdId}`;
		if (h) return { kind: 'household', id: householdId, label: `敲门走访 · ${h.address}`, title: '', lon: h.lon, lat: h.lat };
	}
	return null;
}

/** The hazards found from a request (诉求转隐患), for the request's page. */
export function hazardsFromRequest(db: Queryable, requestId: number) {
	return db.sql<{ id: number; code: string; title: string; status: string }>`
		SELECT id, code, title, status FROM hazards WHERE source_request_id = ${requestId} ORDER BY id`;
}
