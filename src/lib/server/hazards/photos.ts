// A hazard's photos (0020): 发现 ('found') with the report, 整改前 ('before') at 开始整改, 整改后
// ('after') at 整改完成, each tied to its event. Files are stored and discarded by the request
// photos' helpers (one photo directory, one naming rule); rows live in hazard_photos.
import type { HazardPhotoKind } from '../../domain/hazardflow';
import type { Queryable } from '../db/client';
import { readStoredPhoto, type StoredPhoto } from '../requests/photos';

export interface HazardPhoto { id: number; kind: HazardPhotoKind; eventId: number; at: Date; by: string | null }

/** Records stored photos for one event (inside the transaction that writes the event). */
export async function recordHazardPhotos(tx: Queryable, hazardId: number, eventId: number, kind: HazardPhotoKind, stored: readonly StoredPhoto[], actorId: number): Promise<void> {
	for (const s of stored) {
		await tx.sql`INSERT INTO hazard_photos (hazard_id, event_id, kind, path, type, bytes, created_by)
			VALUES (${hazardId}, ${eventId}, ${kind}, ${s.path}, ${s.type}, ${s.bytes}, ${actorId})`;
	}
}

/** The hazard's photos the user may see (row-level security on `db`), oldest first. */
export async function listHazardPhotos(db: Queryable, hazardId: number): Promise<HazardPhoto[]> {
	return db.sql<HazardPhoto>`
		SELECT p.id, p.kind, p.event_id AS "eventId", p.created_at AS at, u.display_name AS by
		FROM hazard_photos p LEFT JOIN users u ON u.id = p.created_by
		WHERE p.hazard_id = ${hazardId} ORDER BY p.id`;
}

/** One photo of a hazard, if the user may see it. */
export async function readHazardPhoto(db: Queryable, hazardId: number, photoId: number): Promise<{ type: string; bytes: Uint8Array } | null> {
	const [p] = await db.sql<{ path: string; type: string }>`SELECT path, type FROM hazard_photos WHERE id = ${photoId} AND hazard_id = ${hazardId}`;
	return p ? readStoredPhoto(p) : null;
}
