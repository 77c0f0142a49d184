// Who is asking. A session is a random token in an HttpOnly cookie; the database keeps its SHA-256.
// On the synthetic demo district anyone may sign in as a demo account (演示登录); on real data
// only with a password.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Cookies } from '@sveltejs/kit';
import { ApiError } from '../domain/apierror';
import type { Db, Queryable } from './db';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export type Role = 'admin' | 'leader' | 'grid_manager' | 'department_staff' | 'mediator' | 'screen';

export interface SessionUser {
	id: number;
	username: string;
	displayName: string;
	role: Role;
	departmentId: number | null;
	title: string | null;
}

export const SESSION_COOKIE = 'gg_session';
export const SESSION_HOURS = 12;
/** The big screen runs for days on one sign-in. */
export const SCREEN_SESSION_HOURS = 24 * 90;

export const ROLE_LABEL: Record<Role, string> = {
	admin: '管理员', leader: '领导', grid_manager: '网格员', department_staff: '部门人员', mediator: '调解员', screen: '大屏'
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const USER_COLUMNS = `u.id, u.username, u.display_name AS "displayName", u.role, u.department_id AS "departmentId", u.title`;

export async function createSession(db: Queryable, userId: number, hours = SESSION_HOURS): Promise<{ token: string; expires: Date }> {
	const token = randomBytes(32).toString('base64url');
	const expires = new Date(Date.now() + hours * 3600_000);
	await db.sql`INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (${hashToken(token)}, ${userId}, ${expires})`;
	return { token, expires };
}

export async function userFromToken(db: Queryable, token: string | undefined): Promise<SessionUser | null> {
	if (!token) return null;
	const rows = await db.query<SessionUser>(
		`SELECT ${USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id
		 WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`, [hashToken(token)]);
	return rows[0] ?? null;
}

export async function endSession(db: Queryable, token: string | undefined): Promise<void> {
	if (token) await db.sql`DELETE FROM sessions WHERE token_hash = ${hashToken(token)}`;
}

export async function findUser(db: Queryable, username: string): Promise<(SessionUser & { passwordHash: string | null }) | null> {
	const rows = await db.query<SessionUser & { passwordHash: string | null }>(
		`SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash" FROM users u WHERE u.username = $1 AND u.active`, [username]);
	return rows[0] ?? null;
}

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	return `${salt.toString('hex')}:${(await scrypt(password, salt, 32)).toString('hex')}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
	if (!stored) return false;
	const [salt, hash] = stored.split(':');
	if (!salt || !hash) return false;
	const got = await scrypt(password, Buffer.from(salt, 'hex'), 32);
	return timingSafeEqual(got, Buffer.from(hash, 'hex'));
}

/** True only on the generated demo district: demo sign-in must never open real data. */
export async function isDemoDatabase(db: Queryable): Promise<boolean> {
	const rows = await db.sql`SELECT (value->>'synthetic')::boolean AS synthetic FROM app_meta WHERE key = 'seed'`;
	return rows[0]?.synthetic === true;
}

export function setSessionCookie(cookies: Cookies, token: string, expires: Date, secure: boolean) {
	cookies.set(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires });
}

/** The signed-in user, or an ApiError (401 not signed in, 403 role not allowed). */
export function requireUser(event: { locals: App.Locals }, ...roles: Role[]): SessionUser {
	const user = event.locals.user;
	if (!user) throw new ApiError(401, 'unauthenticated', '请先登录');
	if (roles.length && !roles.includes(user.role)) {
		throw new ApiError(403, 'forbidden', `当前账号（${ROLE_LABEL[user.role]}）无权执行此操作，需要：${roles.map((r) => ROLE_LABEL[r]).join('、')}`);
	}
	return user;
}

/** Grids a user may see in detail: null means all (admins, leaders, departments, the screen's aggregates). */
export async function visibleGridCodes(db: Db | Queryable, user: SessionUser | null): Promise<string[] | null> {
	if (!user || user.role !== 'grid_manager') return null;
	const rows = await db.sql<{ grid_code: string }>`SELECT grid_code FROM user_grids WHERE user_id = ${user.id} ORDER BY grid_code`;
	return rows.map((r) => r.grid_code);
}
