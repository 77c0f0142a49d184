// API keys for outside clients (Open311 apps, QGIS/GDAL on the OGC API). A key acts as one user;
// only its SHA-256 is stored, and the key itself is shown once when it is made.
import { createHash, randomBytes } from 'node:crypto';
import { badParam } from '../../domain/apierror';
import type { SessionUser } from '../auth/user';
import type { Queryable } from '../db/client';

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

export interface ApiKeyInfo { id: number; name: string; userId: number; username: string; active: boolean; createdAt: Date; lastUsedAt: Date | null }

export async function createApiKey(db: Queryable, userId: number, name: string): Promise<{ id: number; key: string }> {
	const label = name.trim();
	if (label.length < 2 || label.length > 100) throw badParam('name', '密钥名称（name）应为 2–100 个字，说明是哪个系统使用');
	const [u] = await db.sql`SELECT role FROM users WHERE id = ${userId} AND active`;
	if (!u) throw badParam('userId', `用户（userId）${userId} 不存在或已停用`);
	if (u.role === 'screen') throw badParam('userId', '大屏账号不能持有接口密钥');
	const key = `gg_${randomBytes(24).toString('base64url')}`;
	const [{ id }] = await db.sql<{ id: number }>`INSERT INTO api_keys (key_hash, name, user_id) VALUES (${hash(key)}, ${label}, ${userId}) RETURNING id`;
	return { id, key };
}

export async function listApiKeys(db: Queryable): Promise<ApiKeyInfo[]> {
	return db.sql<ApiKeyInfo>`SELECT k.id, k.name, k.user_id AS "userId", u.username, k.active, k.created_at AS "createdAt", k.last_used_at AS "lastUsedAt"
		FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.id`;
}

export async function revokeApiKey(db: Queryable, id: number): Promise<boolean> {
	return (await db.sql`UPDATE api_keys SET active = false WHERE id = ${id} RETURNING id`).length > 0;
}

/** The user an active key acts as, or null. Marks it used (at most once a minute, to spare writes). */
export async function userFromApiKey(db: Queryable, key: string | null | undefined): Promise<SessionUser | null> {
	if (!key) return null;
	// auth_api_key_user (0011): the serving role cannot read key hashes
	const [row] = await db.sql<SessionUser>`
		SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.department_id AS "departmentId", u.title
		FROM auth_api_key_user(${hash(key)}) u`;
	return row ?? null;
}

/** `Authorization: Bearer <key>` or, for clients that cannot set headers, `?api_key=`. */
export function apiKeyOf(request: Request, url: URL): string | null {
	const auth = request.headers.get('authorization') ?? '';
	const m = /^Bearer\s+(\S+)$/i.exec(auth);
	return m ? m[1] : url.searchParams.get('api_key');
}
