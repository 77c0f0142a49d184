// Idempotency keys (0012): a key belongs to one user and one body. The same key, user and body
// answers as the first time; another body or another user's key is a 422, never the other answer.
import { createHash } from 'node:crypto';
import { ApiError } from '../../domain/apierror';
import { canonicalJson } from '../../domain/canonical';
import type { PhotoInput } from '../../domain/photos';
import type { Database, Queryable } from '../db/client';
import { isUniqueViolation } from '../http/errors';
import { discardPhotos, storePhotos, type StoredPhoto } from './photos';

export const bodyHash = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');

export const keyReused = (why: string) =>
	new ApiError(422, 'idempotency_key_reused', `幂等键（Idempotency-Key）${why}，请换一个键`, 'Idempotency-Key');

/**
 * What the database knows of `key` for the signed-in user: 'new', 'same' (replay the first answer),
 * or a 422 when this user used it for another body. Another user's key is invisible here; claim()
 * then runs into it.
 */
export async function checkKey(db: Queryable, userId: number, key: string, hash: string): Promise<'new' | 'same'> {
	// user_id as well as row-level security: the server's own connection sees every key
	const [row] = await db.sql<{ body_hash: string }>`SELECT body_hash FROM idempotency_keys WHERE key = ${key} AND user_id = ${userId}`;
	if (!row) return 'new';
	if (row.body_hash !== hash) throw keyReused('已用于内容不同的另一次提交');
	return 'same';
}

/** Records the key inside the transaction that does the work, so both commit or neither does. */
export async function claimKey(tx: Queryable, userId: number, key: string, hash: string): Promise<void> {
	await tx.sql`INSERT INTO idempotency_keys (key, user_id, body_hash) VALUES (${key}, ${userId}, ${hash})`;
}

/**
 * After a unique violation on the key: our own concurrent retry (→ 'same' or a 422 for another
 * body) or someone else's key (→ 422; their answer is not ours to see).
 */
export async function afterConflict(db: Queryable, e: unknown, userId: number, key: string, hash: string): Promise<'same'> {
	if (!isUniqueViolation(e, 'idempotency_key')) throw e;
	if ((await checkKey(db, userId, key, hash)) === 'same') return 'same';
	throw keyReused('已被使用');
}

/**
 * Every exactly-once write that may carry photos (a 点单, a move, a hazard's report or move) in one
 * shape: a key seen before answers as the first time (`replay`); otherwise the photos go to disk,
 * the work and the key's claim commit together, and the files of a write that did not happen, or
 * that an earlier submission had already done, are removed again. A concurrent retry of ours that
 * committed first is replayed; someone else's key is a 422. `mapError` turns other failures of the
 * work into API errors (a refused move), or leaves them as they are.
 */
export async function exactlyOnce<R extends { replayed: boolean }>(
	db: Database,
	o: {
		userId: number;
		key: string | null;
		hash: string;
		photos: readonly PhotoInput[];
		/** checks of the body that a replay does not need (it passed them the first time) */
		check?: () => void;
		replay: () => Promise<R | null>;
		work: (tx: Queryable, stored: StoredPhoto[]) => Promise<R>;
		mapError?: (e: unknown) => unknown;
	}
): Promise<R> {
	if (o.key) {
		await checkKey(db, o.userId, o.key, o.hash);
		const seen = await o.replay();
		if (seen) return seen;
	}
	o.check?.();
	const stored = storePhotos(o.photos);
	try {
		const done = await db.transaction(async (tx) => {
			if (o.key) await claimKey(tx, o.userId, o.key, o.hash);
			return o.work(tx, stored);
		});
		// answered by the first submission: its photos are the ones kept
		if (done.replayed) discardPhotos(stored);
		return done;
	} catch (e) {
		discardPhotos(stored);
		if (!o.key || !isUniqueViolation(e, 'idempotency_key')) throw o.mapError?.(e) ?? e;
		await afterConflict(db, e, o.userId, o.key, o.hash);
		const seen = await o.replay();
		if (seen) return seen;
		throw keyReused('已被使用');
	}
}
