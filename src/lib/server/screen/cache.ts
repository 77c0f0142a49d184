// The screen's aggregates are shared by every wall display: each is computed at most once per
// `ttlMs` (and once at a time), whatever the number of screens. On a deployment with read replicas
// these are the queries to send there.
import type { Queryable } from '../db/client';
import { scopeOf } from '../access/userdb';
import { gridDensity, gridHotspots, screenSummary, type ScreenSummary } from './summary';

interface Entry<T> { at: number; value: Promise<T> }

export class TtlCache<T> {
	private readonly entries = new Map<string, Entry<T>>();
	/** ttlMs: how long a value is served before it is recomputed; max: entries kept */
	constructor(private readonly ttlMs: number, private readonly max = 64) {}

	get(key: string, compute: () => Promise<T>): Promise<T> {
		const e = this.entries.get(key);
		if (e && Date.now() - e.at < this.ttlMs) return e.value;
		const value = compute();
		this.entries.delete(key);
		this.entries.set(key, { at: Date.now(), value });
		value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key));
		while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
		return value;
	}
}

const summaries = new TtlCache<ScreenSummary>(10_000);
const densities = new TtlCache<Awaited<ReturnType<typeof gridDensity>>>(15_000, 8);

export const cachedSummary = (db: Queryable, area: string | null) => summaries.get(`${scopeOf(db)}:${area ?? ''}`, () => screenSummary(db, area));
export const cachedDensity = (db: Queryable) => densities.get(scopeOf(db), () => gridDensity(db));
// Gi* over 90 days moves slowly and costs a second or two on PGlite: five minutes is fresh enough
const hotspots = new TtlCache<string[]>(300_000, 8);
export const cachedHotspots = (db: Queryable) => hotspots.get(scopeOf(db), () => gridHotspots(db));
