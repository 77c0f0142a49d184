// The server's rate limits: failed sign-ins per IP address, and new requests (诉求上报) per user
// and per IP. Over the limit: 429 with Retry-After. Held in the database (rate_limit_hit() of
// 0011, a sliding window of rows), so a restart or a second app node does not reset them, and
// parallel hits on one key are all counted (they queue on an advisory lock). The sign-in limit is
// checked and counted inside auth_sign_in() (0014, called by auth/signin.ts): only failures count.
import { ApiError } from '../../domain/apierror';
import type { RateDecision } from '../../domain/ratelimit';
import type { Queryable } from '../db/client';

export interface Limit {
	/** names the limit in the keys of rate_limit_hits */
	name: string;
	limit: number;
	windowMs: number;
}

// rate_limit_hit() sweeps rows older than a day: windows must stay shorter than that
const WINDOW_MS = 10 * 60_000;
/** Failed sign-ins per address (successes do not count: one NAT address may serve a whole office). */
export const LOGIN_LIMIT: Limit = { name: 'login_ip', limit: Number(process.env.LOGIN_RATE_LIMIT ?? 20), windowMs: WINDOW_MS };
export const REPORT_LIMIT_USER: Limit = { name: 'report_user', limit: Number(process.env.REPORT_RATE_LIMIT ?? 60), windowMs: WINDOW_MS };
export const REPORT_LIMIT_IP: Limit = { name: 'report_ip', limit: Number(process.env.REPORT_RATE_LIMIT_IP ?? 200), windowMs: WINDOW_MS };

export class RateLimited extends ApiError {
	constructor(message: string, readonly retryAfterS: number) {
		super(429, 'rate_limited', message);
	}
}

/** Counts a hit for `key` on `l` unless the key is over its limit. */
export async function hit(db: Queryable, l: Limit, key: string): Promise<RateDecision> {
	const [r] = await db.sql<{ wait: number }>`SELECT rate_limit_hit(${l.name + ':' + key}, ${l.limit}, ${l.windowMs}) AS wait`;
	return { ok: r.wait === 0, retryAfterS: r.wait };
}

/** Throws RateLimited when the user or the address has reported too much lately. */
export async function checkReportRate(db: Queryable, userId: number, ip: string): Promise<void> {
	for (const [l, key] of [[REPORT_LIMIT_USER, `u${userId}`], [REPORT_LIMIT_IP, ip]] as const) {
		const d = await hit(db, l, key);
		if (!d.ok) throw new RateLimited(`上报过于频繁，请 ${d.retryAfterS} 秒后再试`, d.retryAfterS);
	}
}
