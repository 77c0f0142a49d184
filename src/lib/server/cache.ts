// A small in-process cache of promised values, each computed at most once per `ttlMs` (and once at
// a time: concurrent callers share the pending promise). A failed computation is not kept. Used for
// the big screen's aggregates (screen/cache.ts) and each user's map area (queries/userArea.ts).

import { countCacheLookup } from './ops/metrics';

interface Entry<T> { at: number; value: Promise<T> }

export class TtlCache<T> {
	private readonly entries = new Map<string, Entry<T>>();
	/** ttlMs: how long a value is served before it is recomputed; max: entries kept (the oldest go first); name: its label in /metrics */
	constructor(private readonly ttlMs: number, private readonly max = 64, private readonly name = 'ttl') {}

	get(key: string, compute: () => Promise<T>): Promise<T> {
		const e = this.entries.get(key);
		const hit = !!e && Date.now() - e.at < this.ttlMs;
		countCacheLookup(this.name, hit);
		if (hit) return e!.value;
		const value = compute();
		this.entries.delete(key);
		this.entries.set(key, { at: Date.now(), value });
		value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key));
		while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
		return value;
	}
}

/**
 * One cache per database, made on first use: another database (a test's, a restored backup) has
 * other rows, and the same user id names another person there. Pass the server's own Db
 * (systemOf(db)), which every reader of that database shares.
 */
export function perDatabase<T>(make: () => T): (system: object) => T {
	const made = new WeakMap<object, T>();
	return (system) => {
		let c = made.get(system);
		if (!c) made.set(system, (c = make()));
		return c;
	};
}
