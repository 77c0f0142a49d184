// A request's photos (0016): files in the photo directory, one row each in request_photos tied to
// the event they came with. Files are written before the transaction that records them and removed
// again when it fails, so a refused submission leaves neither a row nor a file behind.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PHOTO_TYPES, type PhotoInput, type PhotoKind } from '../../domain/photos';
import type { Queryable } from '../db/client';

export const photoDir = () => path.resolve(process.env.DATA_DIR ?? 'data', 'photos');

/** Photos written to disk, not yet recorded. */
export interface StoredPhoto { path: string; type: string; bytes: number }

export interface RequestPhoto { id: number; kind: PhotoKind; eventId: number; at: Date; by: string | null }

/** Writes the (already checked) photos under new names; `discard` removes them again. */
export function storePhotos(photos: readonly PhotoInput[]): StoredPhoto[] {
	if (!photos.length) return [];
	mkdirSync(photoDir(), { recursive: true });
	const stored: StoredPhoto[] = [];
	try {
		for (const p of photos) {
			const name = `${randomUUID()}.${PHOTO_TYPES[p.type]}`;
			writeFileSync(path.join(photoDir(), name), p.bytes);
			stored.push({ path: name, type: p.type, bytes: p.bytes.byteLength });
		}
	} catch (e) {
		discardPhotos(stored);
		throw e;
	}
	return stored;
}

export function discardPhotos(stored: readonly StoredPhoto[]): void {
	for (const s of stored) rmSync(path.join(photoDir(), s.path), { force: true });
}

/** Records stored photos for one event (inside the transaction that writes the event). */
export async function recordPhotos(tx: Queryable, requestId: number, eventId: number, kind: PhotoKind, stored: readonly StoredPhoto[], actorId: number): Promise<void> {
	for (const s of stored) {
		await tx.sql`INSERT INTO request_photos (request_id, event_id, kind, path, type, bytes, created_by)
			VALUES (${requestId}, ${eventId}, ${kind}, ${s.path}, ${s.type}, ${s.bytes}, ${actorId})`;
	}
}

/** The request's photos the user may see (row-level security on `db`), oldest first per kind. */
export async function listPhotos(db: Queryable, requestId: number): Promise<RequestPhoto[]> {
	return db.sql<RequestPhoto>`
		SELECT p.id, p.kind, p.event_id AS "eventId", p.created_at AS at, u.display_name AS by
		FROM request_photos p LEFT JOIN users u ON u.id = p.created_by
		WHERE p.request_id = ${requestId} ORDER BY p.id`;
}

/** One photo of a request, if the user may see it; only names this module wrote are read. */
export async function readPhoto(db: Queryable, requestId: number, photoId: number): Promise<{ type: string; bytes: Uint8Array } | null> {
	const [p] = await db.sql<{ path: string; type: string }>`SELECT path, type FROM request_photos WHERE id = ${photoId} AND request_id = ${requestId}`;
	return p ? readStoredPhoto(p) : null;
}

/** A stored photo's bytes by its row (request_photos, hazard_photos); only names storePhotos() makes are read. */
export function readStoredPhoto(p: { path: string; type: string }): { type: string; bytes: Uint8Array } | null {
	if (!/^[\w-]+\.(jpg|png|webp)$/.test(p.path)) return null;
	return { type: p.type, bytes: readFileSync(path.join(photoDir(), p.path)) };
}
