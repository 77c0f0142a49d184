// Who is asking. A session is a random token in an HttpOnly cookie; the database keeps its SHA-256,
// an absolute expiry and an idle timeout. Passwords are argon2id. Repeated failures slow the answer
// down and then lock the account for a while. On the synthetic demo district anyone may also sign in
// as a demo account (演示登录); on real data only with a password.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import argon2 from 'argon2';
import type { Cookies } from '@sveltejs/kit';
import { ApiError, badParam } from '../../domain/apierror';
import type { Database, Queryable } from '../db/client';
import { enterUser } from '../access/userdb';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export type Role = 'admin' | 'leader' | 'grid_manager' | 'department_staff' | 'mediator' | 'screen';

export interface SessionUser {
	id: number;
	username: string;
	displayName: string;
	role: Role;
	departmentId: number | null;
	title: string | null;
	/** a leader's area (a prefix of the grid codes they see); null for other roles */
	jurisdiction?: string | null;
}

export const SESSION_COOKIE = 'gg_session';
/** Absolute lifetime of a session, and how long it may sit unused. */
export const SESSION_HOURS = 12;
export const SESSION_IDLE_MINUTES = 30;
/** The big screen runs for days on one sign-in, untouched. */
export const SCREEN_SESSION_HOURS = 24 * 90;

/** After this many failures in a row each answer waits longer (250 ms doubling, at most 8 s)… */
export const SLOWDOWN_AFTER = 3;
/** …and after this many the account is locked for LOCK_MINUTES. */
export const LOCK_AFTER = 10;
export const LOCK_MINUTES = 15;

export const ROLE_LABEL: Record<Role, string> = {
	admin: '管理员', leader: '领导', grid_manager: '网格员', department_staff: '部门人员', mediator: '调解员', screen: '大屏'
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const USER_COLUMNS = `u.id, u.username, u.display_name AS "displayName", u.role, u.department_id AS "departmentId", u.title,
	u.jurisdiction_code AS jurisdiction`;

/** A session written directly: the owner's connection only (tests, tools); the app signs in through auth_sign_in(). */
export async function createSession(db: Queryable, userId: number, hours = SESSION_HOURS, idleMinutes = SESSION_IDLE_MINUTES, ip: string | null = null): Promise<{ token: string; expires: Date }> {
	const token = randomBytes(32).toString('base64url');
	const expires = new Date(Date.now() + hours * 3600_000);
	await db.sql`INSERT INTO sessions (token_hash, user_id, expires_at, idle_minutes, ip)
		VALUES (${hashToken(token)}, ${userId}, ${expires}, ${Math.max(1, Math.round(idleMinutes))}, ${ip})`;
	return { token, expires };
}

/**
 * The session's user while it is neither expired nor idle too long; marks it used (at most once a
 * minute). Through auth_session_user() (0011): the serving role cannot read sessions itself.
 */
export async function userFromToken(db: Queryable, token: string | undefined): Promise<SessionUser | null> {
	if (!token) return null;
	const rows = await db.query<SessionUser>(
		`SELECT ${USER_COLUMNS} FROM auth_session_user($1) u`, [hashToken(token)]);
	return rows[0] ?? null;
}

export async function endSession(db: Queryable, token: string | undefined): Promise<void> {
	if (token) await db.sql`SELECT auth_end_session(${hashToken(token)})`;
}

/**
 * 退出所有设备: every session of the user ends; returns how many there were. Runs as that user
 * (row-level security of 0011: one's own sessions), inside the caller's transaction when given one.
 */
export async function endAllSessions(db: Queryable | Database, userId: number): Promise<number> {
	const run = async (tx: Queryable) => {
		await enterUser(tx, userId);
		return (await tx.sql`DELETE FROM sessions WHERE user_id = ${userId} RETURNING 1`).length;
	};
	return 'transaction' in db ? (db as Database).transaction(run) : run(db);
}

interface Account extends SessionUser {
	passwordHash: string | null;
	failedLogins: number;
	lockedUntil: Date | null;
}

/** An account with its hash: the owner's connection only (tests, tools); the serving role cannot read hashes. */
export async function findUser(db: Queryable, username: string): Promise<Account | null> {
	const rows = await db.query<Account>(
		`SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash", u.failed_logins AS "failedLogins", u.locked_until AS "lockedUntil"
		 FROM users u WHERE u.username = $1 AND u.active`, [username]);
	return rows[0] ?? null;
}

// OWASP's argon2id baseline (19 MiB, 2 passes): ~40 ms here, and a stolen table costs as much per guess.
const ARGON2 = { type: argon2.argon2id as 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/** Verified against when the user does not exist, so that an unknown name takes as long as a wrong password. */
let dummyHash: Promise<string> | null = null;

export function hashPassword(password: string): Promise<string> {
	return argon2.hash(password, ARGON2);
}

/** argon2id hashes; also the scrypt `salt:hash` hashes of 0002, which signIn replaces on success. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
	if (!stored) {
		dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
		await argon2.verify(await dummyHash, password);
		return false;
	}
	if (stored.startsWith('$argon2')) return argon2.verify(stored, password).catch(() => false);
	const [salt, hash] = stored.split(':');
	if (!salt || !hash) return false;
	const got = await scrypt(password, Buffer.from(salt, 'hex'), 32);
	const want = Buffer.from(hash, 'hex');
	return got.length === want.length && timingSafeEqual(got, want);
}

/** A password a district's accounts may use: 10+ characters with letters and digits, not the username. */
export function checkNewPassword(password: string, username: string, field = 'password'): string {
	if (password.length < 10) throw badParam(field, `新密码至少 10 个字符，当前 ${password.length} 个`);
	if (password.length > 200) throw badParam(field, '新密码不能超过 200 个字符');
	if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) throw badParam(field, '新密码须同时包含字母和数字');
	if (password.toLowerCase().includes(username.toLowerCase())) throw badParam(field, '新密码不能包含用户名');
	return password;
}

export type SignIn =
	| { ok: true; user: SessionUser; token: string; expires: Date }
	| { ok: false; code: 'bad_credentials' | 'locked'; message: string; retryAfterS?: number };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** How long the answer to the n-th failure in a row waits. */
export const slowdownMs = (failures: number) => (failures < SLOWDOWN_AFTER ? 0 : Math.min(8000, 250 * 2 ** (failures - SLOWDOWN_AFTER)));

/**
 * What the stored hash of `username` would be if `password` were right: the salt and parameters
 * come from auth_password_salt() (a stable fake one for an unknown name), the hashing happens here,
 * the comparison in the database. So the serving role never reads a hash, and injected SQL cannot
 * sign anyone in without the password.
 */
async function attemptHash(db: Queryable, username: string, password: string): Promise<{ computed: string; legacy: boolean }> {
	const [{ salt }] = await db.sql<{ salt: string }>`SELECT auth_password_salt(${username}) AS salt`;
	if (salt.startsWith('scrypt$')) {
		const hex = salt.slice('scrypt$'.length);
		const got = await scrypt(password, Buffer.from(hex, 'hex'), 32);
		return { computed: `${hex}:${got.toString('hex')}`, legacy: true };
	}
	// $argon2id$v=19$m=19456,p=1,t=2$<salt, base64 without padding> (parameters in any order)
	const m = /^\$(argon2id|argon2i|argon2d)\$v=(\d+)\$([a-z]=\d+(?:,[a-z]=\d+)*)\$([A-Za-z0-9+/]+)$/.exec(salt);
	if (!m) return { computed: '', legacy: false };
	const p = Object.fromEntries(m[3].split(',').map((kv) => [kv[0], Number(kv.slice(2))]));
	const type = m[1] === 'argon2id' ? argon2.argon2id : m[1] === 'argon2i' ? argon2.argon2i : argon2.argon2d;
	const computed = await argon2.hash(password, {
		type: type as 2, version: Number(m[2]), memoryCost: p.m, timeCost: p.t, parallelism: p.p, salt: Buffer.from(m[4], 'base64')
	});
	return { computed, legacy: false };
}

/**
 * 账号密码登录. Every attempt is recorded (login_attempts, and audit_log for the account); the
 * message never tells a wrong name from a wrong password. `delay` is how the slowdown waits
 * (tests pass a recorder instead of sleeping). The count, the lock and the session are one call of
 * auth_sign_in() (0011) under the account's row lock: parallel guesses queue and each one counts.
 */
export async function signIn(db: Database | Queryable, username: string, password: string, ip: string | null, delay: (ms: number) => Promise<void> = sleep): Promise<SignIn> {
	const { computed, legacy } = await attemptHash(db, username, password);
	const rehash = legacy ? await hashPassword(password) : null;
	const token = randomBytes(32).toString('base64url');
	const [r] = await db.sql<{ outcome: 'ok' | 'bad_credentials' | 'locked' | 'locked_now'; user_id: number | null; failures: number; retry_after_s: number }>`
		SELECT * FROM auth_sign_in(${username}, ${computed}, ${ip}, ${hashToken(token)}, ${rehash},
			${LOCK_AFTER}, ${LOCK_MINUTES}, ${SESSION_HOURS}, ${SESSION_IDLE_MINUTES}, ${SCREEN_SESSION_HOURS})`;
	if (r.outcome === 'ok') {
		const user = (await userFromToken(db, token))!;
		const hours = user.role === 'screen' ? SCREEN_SESSION_HOURS : SESSION_HOURS;
		return { ok: true, user, token, expires: new Date(Date.now() + hours * 3600_000) };
	}
	if (r.outcome === 'locked') {
		// locked before this attempt: answered at once (the account cannot be guessed meanwhile)
		return { ok: false, code: 'locked', message: `连续登录失败次数过多，账号已临时锁定，请 ${Math.ceil(r.retry_after_s / 60)} 分钟后再试或联系管理员`, retryAfterS: r.retry_after_s };
	}
	await delay(slowdownMs(r.failures));
	if (r.outcome === 'locked_now') {
		return { ok: false, code: 'locked', message: `连续 ${LOCK_AFTER} 次登录失败，账号已锁定 ${LOCK_MINUTES} 分钟`, retryAfterS: r.retry_after_s };
	}
	return { ok: false, code: 'bad_credentials', message: '用户名或密码不正确' };
}

/** 演示登录 (synthetic demo district only): obeys the lock and is recorded like a sign-in (auth_demo_sign_in, 0011). */
export async function demoSignIn(db: Database | Queryable, username: string, ip: string | null): Promise<SignIn | { ok: false; code: 'not_demo' | 'no_user'; message: string }> {
	const token = randomBytes(32).toString('base64url');
	const [r] = await db.sql<{ outcome: 'ok' | 'locked' | 'not_demo' | 'no_user'; user_id: number | null; retry_after_s: number }>`
		SELECT * FROM auth_demo_sign_in(${username}, ${ip}, ${hashToken(token)}, ${SESSION_HOURS}, ${SESSION_IDLE_MINUTES}, ${SCREEN_SESSION_HOURS})`;
	if (r.outcome === 'not_demo') return { ok: false, code: 'not_demo', message: '演示登录仅用于演示数据，请使用账号密码登录' };
	if (r.outcome === 'no_user') return { ok: false, code: 'no_user', message: `没有名为“${username}”的账号` };
	if (r.outcome === 'locked') {
		return { ok: false, code: 'locked', message: `连续登录失败次数过多，账号已临时锁定，请 ${Math.ceil(r.retry_after_s / 60)} 分钟后再试或联系管理员`, retryAfterS: r.retry_after_s };
	}
	const user = (await userFromToken(db, token))!;
	const hours = user.role === 'screen' ? SCREEN_SESSION_HOURS : SESSION_HOURS;
	return { ok: true, user, token, expires: new Date(Date.now() + hours * 3600_000) };
}

/** 修改密码: checks the current one, stores the new one, ends every other session of the user. */
export async function changePassword(db: Database | Queryable, user: SessionUser, current: string, next: string, keepToken: string | undefined, ip: string | null): Promise<void> {
	const { computed } = await attemptHash(db, user.username, current);
	checkNewPassword(next, user.username, 'password');
	if (next === current) throw badParam('password', '新密码不能与当前密码相同');
	const hash = await hashPassword(next);
	const [r] = await db.sql<{ ok: boolean }>`SELECT auth_change_password(${user.id}, ${computed}, ${hash}, ${keepToken ? hashToken(keepToken) : null}, ${ip}) AS ok`;
	if (!r.ok) throw badParam('current', '当前密码不正确');
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
export async function visibleGridCodes(db: Database | Queryable, user: SessionUser | null): Promise<string[] | null> {
	if (!user || user.role !== 'grid_manager') return null;
	const rows = await db.sql<{ grid_code: string }>`SELECT grid_code FROM user_grids WHERE user_id = ${user.id} ORDER BY grid_code`;
	return rows.map((r) => r.grid_code);
}
