// Signing in: 账号密码登录, and on the synthetic demo district 演示登录 (demo accounts, no password;
// on real data only with a password). Both open the session with the same policy (session.ts),
// obey the same account lock (throttle.ts) and write the same audit row (auth_sign_in and
// auth_demo_sign_in, which take the policy from POLICY_ARGS and open the session through
// auth_open_session of 0014). Password sign-in also obeys the per-address limit on failures
// (LOGIN_LIMIT, access/limits.ts); demo sign-in has no password to guess.
import type { Database, Queryable } from '../db/client';
import { hashPassword, attemptHash } from './password';
import { hashToken, newToken, openedSession, POLICY_ARGS } from './session';
import { LOGIN_LIMIT } from '../access/limits';
import { LOCK_AFTER, LOCK_MINUTES, sleep, slowdownMs, stillLocked } from './throttle';
import type { SessionUser } from './user';

export type SignIn =
	| { ok: true; user: SessionUser; token: string; expires: Date }
	| { ok: false; code: 'bad_credentials' | 'locked' | 'rate_limited'; message: string; retryAfterS?: number };

/**
 * 账号密码登录. Every attempt is recorded (login_attempts, and audit_log for the account); the
 * message never tells a wrong name from a wrong password. `delay` is how the slowdown waits
 * (tests pass a recorder instead of sleeping). The address's failure count, the account's count,
 * the lock and the session are one call of auth_sign_in() (0014) under the address's advisory lock
 * and the account's row lock: parallel guesses queue and each one counts. Only failures count
 * against the address: a street office behind one NAT address may all sign in at 9 o'clock.
 */
export async function signIn(db: Database | Queryable, username: string, password: string, ip: string | null, delay: (ms: number) => Promise<void> = sleep): Promise<SignIn> {
	const { computed, legacy } = await attemptHash(db, username, password);
	const rehash = legacy ? await hashPassword(password) : null;
	const token = newToken();
	const [hours, idle, screenHours] = POLICY_ARGS;
	const [r] = await db.sql<{ outcome: 'ok' | 'bad_credentials' | 'locked' | 'locked_now' | 'rate_limited'; user_id: number | null; failures: number; retry_after_s: number }>`
		SELECT * FROM auth_sign_in(${username}, ${computed}, ${ip}, ${hashToken(token)}, ${rehash},
			${LOCK_AFTER}, ${LOCK_MINUTES}, ${hours}, ${idle}, ${screenHours}, ${LOGIN_LIMIT.limit}, ${LOGIN_LIMIT.windowMs})`;
	if (r.outcome === 'ok') return openedSession(db, token);
	if (r.outcome === 'rate_limited') {
		const retryAfterS = r.retry_after_s;
		return { ok: false, code: 'rate_limited', message: `此地址登录失败次数过多，请 ${Math.ceil(retryAfterS / 60)} 分钟后再试`, retryAfterS };
	}
	// locked before this attempt: answered at once (the account cannot be guessed meanwhile)
	if (r.outcome === 'locked') return stillLocked(r.retry_after_s);
	await delay(slowdownMs(r.failures));
	if (r.outcome === 'locked_now') {
		return { ok: false, code: 'locked', message: `连续 ${LOCK_AFTER} 次登录失败，账号已锁定 ${LOCK_MINUTES} 分钟`, retryAfterS: r.retry_after_s };
	}
	return { ok: false, code: 'bad_credentials', message: '用户名或密码不正确' };
}

/** 演示登录 (synthetic demo district only): obeys the lock and is recorded like a sign-in (auth_demo_sign_in, 0011). */
export async function demoSignIn(db: Database | Queryable, username: string, ip: string | null): Promise<SignIn | { ok: false; code: 'not_demo' | 'no_user'; message: string }> {
	const token = newToken();
	const [hours, idle, screenHours] = POLICY_ARGS;
	const [r] = await db.sql<{ outcome: 'ok' | 'locked' | 'not_demo' | 'no_user'; user_id: number | null; retry_after_s: number }>`
		SELECT * FROM auth_demo_sign_in(${username}, ${ip}, ${hashToken(token)}, ${hours}, ${idle}, ${screenHours})`;
	if (r.outcome === 'not_demo') return { ok: false, code: 'not_demo', message: '演示登录仅用于演示数据，请使用账号密码登录' };
	if (r.outcome === 'no_user') return { ok: false, code: 'no_user', message: `没有名为“${username}”的账号` };
	if (r.outcome === 'locked') return stillLocked(r.retry_after_s);
	return openedSession(db, token);
}

/** True only on the generated demo district: demo sign-in must never open real data. */
export async function isDemoDatabase(db: Queryable): Promise<boolean> {
	const rows = await db.sql`SELECT (value->>'synthetic')::boolean AS synthetic FROM app_meta WHERE key = 'seed'`;
	return rows[0]?.synthetic === true;
}
