// Is the database answering? One cheap statement with a deadline, for the health checks
// (/api/status, /api/health/ready). `probeCached` shares one probe among the callers of the same
// second, so a storm of probes (a load balancer, Kubernetes, a monitoring system) costs the pool
// at most one `SELECT 1` a second.
import { describeError, type Db } from './client';

// a health check that hangs is no answer: a PostgreSQL that does not answer within this is down
export const PROBE_MS = 3000;

export type ProbeResult = { code: string; message: string } | null;

/** null when the database answers `SELECT 1` within `ms`, else what went wrong. */
export async function probe(db: Db, ms = PROBE_MS): Promise<ProbeResult> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(Object.assign(new Error(`数据库 ${ms} 毫秒内没有应答`), { code: 'TIMEOUT' })), ms);
	});
	try {
		await Promise.race([db.sql`SELECT 1`, late]);
		return null;
	} catch (e) {
		return describeError(e);
	} finally {
		clearTimeout(timer);
	}
}

/** How long one probe's answer is reused. */
export const PROBE_CACHE_MS = 1000;

const cache = new WeakMap<Db, { at: number; result: Promise<ProbeResult> }>();

/**
 * `probe`, answered from the last probe of the same database when that started less than
 * `maxAgeMs` ago (a probe under way is shared, not repeated).
 */
export function probeCached(db: Db, ms = PROBE_MS, maxAgeMs = PROBE_CACHE_MS): Promise<ProbeResult> {
	const hit = cache.get(db);
	if (hit && Date.now() - hit.at < maxAgeMs) return hit.result;
	const result = probe(db, ms);
	cache.set(db, { at: Date.now(), result });
	return result;
}
