// Idempotency keys (0012): a key belongs to one user and one body. The same key, user and body
// answers as the first time; another body or another user's key is a 422, never the other answer.
import { createHash } from 'node:crypto';
import { ApiError } from '../../domain/apierror';
import { canonicalJson } from '../../domain/canonical';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../http/errors';

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
