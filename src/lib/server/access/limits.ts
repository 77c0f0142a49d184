// The server's rate limits (see domain/ratelimit.ts): sign-in attempts per IP address, and new
// requests (诉求上报) per user and per IP. Over the limit: 429 with Retry-After.
import { ApiError } from '../../domain/apierror';
import { RateLimiter } from '../../domain/ratelimit';

export const loginLimiter = new RateLimiter(Number(process.env.LOGIN_RATE_LIMIT ?? 20), 10 * 60_000);
export const reportLimiterUser = new RateLimiter(Number(process.env.REPORT_RATE_LIMIT ?? 60), 10 * 60_000);
export const reportLimiterIp = new RateLimiter(Number(process.env.REPORT_RATE_LIMIT_IP ?? 200), 10 * 60_000);

export class RateLimited extends ApiError {
	constructor(message: string, readonly retryAfterS: number) {
		super(429, 'rate_limited', message);
	}
}

/** Throws RateLimited when the user or the address has reported too much lately. */
export function checkReportRate(userId: number, ip: string): void {
	for (const [limiter, key] of [[reportLimiterUser, `u${userId}`], [reportLimiterIp, ip]] as const) {
		const d = limiter.hit(key);
		if (!d.ok) throw new RateLimited(`上报过于频繁，请 ${d.retryAfterS} 秒后再试`, d.retryAfterS);
	}
}
