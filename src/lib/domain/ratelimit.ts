// A sliding-window rate limit per key (an IP address, a user id): at most `limit` hits in any
// `windowMs`, in memory. The server's limits no longer use it: they are kept in the database
// (src/lib/server/access/limits.ts, rate_limit_hit() of 0011) so that a restart or a second node
// does not reset them. RateDecision is the shape both answer with.

export interface RateDecision {
	ok: boolean;
	/** seconds until the next hit would be allowed (0 when ok) */
	retryAfterS: number;
}

export class RateLimiter {
	private hits = new Map<string, number[]>();

	constructor(readonly limit: number, readonly windowMs: number, private readonly maxKeys = 50_000) {}

	/** Counts a hit for key at time now, unless the key is over its limit. */
	hit(key: string, now = Date.now()): RateDecision {
		const since = now - this.windowMs;
		const times = (this.hits.get(key) ?? []).filter((t) => t > since);
		if (times.length >= this.limit) {
			this.hits.set(key, times);
			return { ok: false, retryAfterS: Math.max(1, Math.ceil((times[0] + this.windowMs - now) / 1000)) };
		}
		times.push(now);
		this.hits.delete(key); // re-insert: Map order is the eviction order
		this.hits.set(key, times);
		if (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
		return { ok: true, retryAfterS: 0 };
	}

	reset(): void {
		this.hits.clear();
	}
}
