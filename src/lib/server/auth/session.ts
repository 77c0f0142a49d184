// Sessions: a random token in an HttpOnly cookie (cookies.ts); the database keeps its SHA-256, an
// absolute expiry and an idle timeout. The policy (how long, how idle) is decided here only: the
// password and the demo sign-in (signin.ts) hand it to the database and read the answer back here.
import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../db/client';
import { sql } from '../db/sql';
import { enterUser } from '../access/userdb';
import type { Role, SessionUser } from './user';

/** Absolute lifetime of a session, and how long it may sit unused. */
export const SESSION_HOURS = 12;
export const SESSION_IDLE_MINUTES = 30;
/** The big screen runs for days on one sign-in, untouched: idle as long as it lives. */
export const SCREEN_SESSION_HOURS = 24 * 90;

/** How long a session of `role` lives (hours) and may sit unused (minutes). */
export function sessionPolicy(role: Role): { hours: number; idleMinutes: number } {
	return role === 'screen' ? { hours: SCREEN_SESSION_HOURS, idleMinutes: SCREEN_SESSION_HOURS * 60 } : { hours: SESSION_HOURS, idleMinutes: SESSION_IDLE_MINUTES };
}

/** The policy as the sign-in functions of 0011 take it: (session hours, idle minutes, screen hours). */
export const POLICY_ARGS = [SESSION_HOURS, SESSION_IDLE_MINUTES, SCREEN_SESSION_HOURS] as const;

export const newToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const USER_COLUMNS = sql`u.id, u.username, u.display_name AS "displayName", u.role, u.department_id AS "departmentId", u.title,
	u.jurisdiction_code AS jurisdiction`;

/** A session written directly: the owner's connection only (tests, tools); the app signs in through auth_sign_in(). */
export async function createSession(db: Queryable, userId: number, hours = SESSION_HOURS, idleMinutes = SESSION_IDLE_MINUTES, ip: string | null = null): Promise<{ token: string; expires: Date }> {
	const token = newToken();
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
	const rows = await db.sql<SessionUser>`SELECT ${USER_COLUMNS} FROM auth_session_user(${hashToken(token)}) u`;
	return rows[0] ?? null;
}

/** A session a sign-in function just opened under `token`: its user and when the cookie expires. */
export async function openedSession(db: Queryable, token: string): Promise<{ ok: true; user: SessionUser; token: string; expires: Date }> {
	const user = (await userFromToken(db, token))!;
	return { ok: true, user, token, expires: new Date(Date.now() + sessionPolicy(user.role).hours * 3600_000) };
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

/** The user's live sessions, newest use first: as the user, row-level security (0011) shows one's own, never their token hashes. */
export function ownSessions(db: Queryable, userId: number) {
	return db.sql<{ created: Date; lastSeen: Date; ip: string | null }>`
		SELECT created_at AS created, last_seen_at AS "lastSeen", ip FROM sessions
		 WHERE user_id = ${userId} AND expires_at > now() ORDER BY last_seen_at DESC LIMIT 20`;
}
