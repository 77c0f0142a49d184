// 点单: a new request at a point on the map. The grid is found from the point; 信访 need a 包案
// leader; 矛盾纠纷 go to the least-loaded mediator of the pool (群英库) unless one is named. The
// request row and its 'report' event are written together; a retried submission with the same
// idempotency key returns the first request.
import { OPEN_SQL } from '../db/fragments';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiError, badParam } from '../../domain/apierror';
import { checkPhotos, PHOTO_TYPES, type PhotoInput } from '../../domain/photos';
import type { NewRequest } from '../../domain/requestinput';
import { requestCode, type Actor } from '../../domain/workflow';
import type { Database, Queryable } from '../db/client';
import { fromDatabaseError } from '../http/errors';
import { bodyHash, exactlyOnce, keyReused } from './idempotency';
import { photoDir, recordPhotos, type StoredPhoto } from './photos';

export type Photo = PhotoInput;
export interface Reported { id: number; code: string; status: 'reported'; version: number; gridCode: string; replayed: boolean }

export { photoDir };

/** The photo attached at 点单 (requests.photo_path), if the request has one the user may see (row-level security on `db`). */
export async function requestPhoto(db: Queryable, id: number): Promise<Photo | null> {
	const [r] = await db.sql<{ photo_path: string | null }>`SELECT photo_path FROM requests WHERE id = ${id}`;
	// only names this module wrote: never a path out of the photo directory
	const ext = r?.photo_path && /^[\w-]+\.(jpg|png|webp)$/.exec(r.photo_path)?.[1];
	if (!ext) return null;
	const type = Object.keys(PHOTO_TYPES).find((t) => PHOTO_TYPES[t] === ext)!;
	return { type, bytes: readFileSync(path.join(photoDir(), r.photo_path!)) };
}

/** The one photo of the older form and API ('photo'), or several ('photos'): one list. */
const asList = (photos: Photo | readonly Photo[] | null): readonly Photo[] => (photos === null ? [] : Array.isArray(photos) ? photos : [photos as Photo]);

/** The grid containing the point, or a 400 naming lon/lat. */
export async function gridAt(db: Queryable, lon: number, lat: number): Promise<{ code: string; name: string } | null> {
	const [g] = await db.sql<{ code: string; name: string }>`
		SELECT code, name FROM grids WHERE valid_to IS NULL AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)) ORDER BY code LIMIT 1`;
	return g ?? null;
}

export async function reportRequest(
	db: Database, actor: Actor, input: NewRequest, photos: Photo | readonly Photo[] | null, key: string | null, now = new Date()
): Promise<Reported> {
	const list = asList(photos);
	// the photos by their digests: the same pictures sent again are the same body (one photo: as before 0016)
	const digests = list.map((p) => ({ type: p.type, sha256: bodyHash(p.bytes) }));
	const hash = key ? bodyHash(list.length > 1 ? { input, photos: digests } : { input, photo: digests[0] ?? null }) : '';
	return exactlyOnce(db, {
		userId: actor.id,
		key,
		hash,
		photos: list,
		check: () => checkPhotos(list, Array.isArray(photos) ? 'photos' : 'photo'),
		// 'new' may still be a key used before 0012 recorded keys: its event answers as before
		replay: () => replayReport(db, actor.id, key!),
		work: (tx, stored) => insertRequest(tx, actor, input, stored, key, now)
	});
}

async function replayReport(db: Queryable, actorId: number, key: string): Promise<Reported | null> {
	// only the reporter's own event: another user's answer is never replayed, whoever may read it
	const [e] = await db.sql<{ action: string; id: number; code: string; version: number; status: string; grid_code: string }>`
		SELECT e.action, r.id, r.code, r.version, r.status, r.grid_code FROM request_events e JOIN requests r ON r.id = e.request_id
		WHERE e.idempotency_key = ${key} AND e.actor_id = ${actorId}`;
	if (!e) return null;
	if (e.action !== 'report') throw keyReused('已用于另一次提交');
	return { id: e.id, code: e.code, status: 'reported', version: e.version, gridCode: e.grid_code, replayed: true };
}

async function insertRequest(tx: Queryable, actor: Actor, input: NewRequest, photos: readonly StoredPhoto[], key: string | null, now: Date): Promise<Reported> {
	const grid = await gridAt(tx, input.lon, input.lat);
	if (!grid) throw badParam('lon', `所选位置（${input.lon.toFixed(5)}, ${input.lat.toFixed(5)}）不在任何网格内，请在辖区范围内选点`);
	const [category] = await tx.sql<{ code: string; leaf: boolean }>`
		SELECT code, NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_code = c.code) AS leaf FROM categories c WHERE code = ${input.categoryCode}`;
	if (!category) throw badParam('categoryCode', `没有这个诉求类别（categoryCode）：“${input.categoryCode}”`);
	if (!category.leaf) throw badParam('categoryCode', `请选择具体的小类，“${input.categoryCode}”是大类`);
	if (input.leaderId !== null) await requireRole(tx, input.leaderId, 'leader', 'leaderId', '包案领导');
	const mediatorId = input.kind === 'dispute' ? (input.mediatorId ?? (await leastLoadedMediator(tx))) : null;
	if (input.mediatorId !== null) await requireRole(tx, input.mediatorId, 'mediator', 'mediatorId', '调解员');
	if (input.householdId !== null) {
		const [h] = await tx.sql`SELECT 1 FROM households WHERE id = ${input.householdId}`;
		if (!h) throw badParam('householdId', `住户（householdId）${input.householdId} 不存在`);
	}
	const [{ id }] = await tx.sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('requests', 'id')) AS id`;
	const code = requestCode(id, now);
	// photo_path: the first photo, as the one photo of before 0016
	try {
		await tx.sql`
		INSERT INTO requests (id, code, kind, category_code, channel, status, priority, title, description, grid_code, household_id,
		  reporter_name, reporter_phone, address, photo_path, reported_at, leader_id, mediator_id, details, created_by, geom)
		VALUES (${id}, ${code}, ${input.kind}, ${input.categoryCode}, ${input.channel}, 'reported', ${input.priority}, ${input.title},
		  ${input.description}, ${grid.code}, ${input.householdId}, ${input.reporterName}, ${input.reporterPhone}, ${input.address},
		  ${photos[0]?.path ?? null}, ${now}, ${input.leaderId}, ${mediatorId}, ${JSON.stringify(input.details)}, ${actor.id},
		  ST_SetSRID(ST_MakePoint(${input.lon}, ${input.lat}), 4326))`;
	} catch (e) {
		// row-level security refused the grid: say which grid the point is in, next to the map
		if (fromDatabaseError(e)?.code !== 'forbidden') throw e;
		throw new ApiError(403, 'forbidden', `所选位置在${grid.name}（${grid.code}），不在你可以上报的网格内，请在自己的网格内选点或请该网格的网格员上报`, 'lon');
	}
	const [{ id: eventId }] = await tx.sql<{ id: number }>`
		INSERT INTO request_events (request_id, from_status, to_status, action, actor_id, at, reason, idempotency_key, payload)
		VALUES (${id}, NULL, 'reported', 'report', ${actor.id}, ${now}, '上报', ${key}, ${JSON.stringify({ channel: input.channel })})
		RETURNING id`;
	// every photo a row of request_photos; photo_path (above) keeps the first for /api/requests/{id}/photo and Open311
	await recordPhotos(tx, id, eventId, 'report', photos, actor.id);
	return { id, code, status: 'reported', version: 1, gridCode: grid.code, replayed: false };
}

async function requireRole(tx: Queryable, id: number, role: string, field: string, label: string) {
	const [u] = await tx.sql`SELECT 1 FROM users WHERE id = ${id} AND role = ${role} AND active`;
	if (!u) throw badParam(field, `${label}（${field}）${id} 不存在或不是${label}`);
}

/** 矛调 routing: the pool's mediator with the fewest open disputes (ties: lowest id). */
async function leastLoadedMediator(tx: Queryable): Promise<number | null> {
	const [m] = await tx.sql<{ id: number }>`
		SELECT u.id FROM users u
		LEFT JOIN requests r ON r.mediator_id = u.id AND r.status IN ${OPEN_SQL}
		WHERE u.role = 'mediator' AND u.active GROUP BY u.id ORDER BY count(r.id), u.id LIMIT 1`;
	return m?.id ?? null;
}

/** 可能重复: open requests of the same category within `metres` of the point, nearest first. */
export async function nearbyDuplicates(db: Queryable, lon: number, lat: number, categoryCode: string, metres = 300) {
	return db.sql<{ id: number; code: string; title: string; status: string; distance: number; reported_at: Date }>`
		SELECT id, code, title, status, reported_at,
		       round(ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)::geography))::int AS distance
		FROM requests
		WHERE category_code = ${categoryCode} AND status IN ${OPEN_SQL}
		  -- a degree box around the point first, so the GiST index does the work (≥ 50 km per degree below 63°N)
		  AND geom && ST_Expand(ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326), ${metres / 50_000})
		  AND ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)::geography, ${metres})
		ORDER BY distance LIMIT 10`;
}
