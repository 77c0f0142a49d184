// Liveness and readiness, told truthfully (issue 21). Ready means: the database answered a real
// `SELECT 1` within the deadline (at most once a second, db/health.ts), every migration is applied
// and the demo district (if any) is seeded. Anything else is "not ready" with a reason a probe or a
// person can act on, and an error code at most: no host, user, password or message text.
import { current, migrating, progress, waiting } from '../db/database';
import type { Db } from '../db/client';
import { probeCached } from '../db/health';

export type NotReadyReason = 'waiting_database' | 'migrating' | 'seeding' | 'seed_failed' | 'database_unavailable';

export type Readiness =
	| { ready: true; backend: 'pglite' | 'postgres' }
	| { ready: false; reason: NotReadyReason; message: string; backend: 'pglite' | 'postgres' | null; attempts?: number; since?: string; errorCode?: string };

/** a readiness probe is expected to answer quickly: a database slower than this counts as down */
export const READY_PROBE_MS = 2000;

/** What readiness reads: the process's database (db/database.ts); tests pass their own. */
export interface DatabaseState {
	waiting: typeof waiting;
	current: () => Db | null;
	migrating: () => boolean;
	progress: typeof progress;
}

const processDatabase: DatabaseState = { waiting, current, migrating, progress };

export async function readiness({ waiting, current, migrating, progress }: DatabaseState = processDatabase): Promise<Readiness> {
	// a retry that reached the database and is migrating (after a failed try, or a DBA's fix)
	if (!current() && migrating()) return { ready: false, reason: 'migrating', message: '正在迁移数据库结构', backend: null };
	const w = waiting();
	if (w) {
		return { ready: false, reason: 'waiting_database', message: '正在等待数据库', backend: null, attempts: w.attempts, since: w.since, errorCode: w.lastError.code };
	}
	const db = current();
	if (!db) {
		// the first try is under way, and the database has not answered it yet
		return { ready: false, reason: 'waiting_database', message: '正在连接数据库', backend: null };
	}
	const p = progress();
	if (p.phase === 'failed') return { ready: false, reason: 'seed_failed', message: p.message, backend: db.kind };
	// while the demo district is seeded the embedded database's one connection is busy: not probed
	if (p.phase !== 'ready' && db.kind === 'pglite') return { ready: false, reason: 'seeding', message: p.message, backend: db.kind };
	const error = await probeCached(db, READY_PROBE_MS);
	if (error) return { ready: false, reason: 'database_unavailable', message: '数据库暂时不可用', backend: db.kind, errorCode: error.code };
	if (p.phase !== 'ready') return { ready: false, reason: 'seeding', message: p.message, backend: db.kind };
	return { ready: true, backend: db.kind };
}
