// Heavy reports (KPI pages and their drill-downs, the hotspot analysis, list exports) run in a lane
// of their own: at most HEAVY_CONCURRENCY at a time (2 on PostgreSQL, so 8 of the pool's 10
// connections stay with tiles, lists and the map whatever the reports do), each in one transaction
// on one connection with its own statement timeout. A report that cannot start within
// QUEUE_WAIT_MS, or finds QUEUE_MAX already waiting, is told 503 (try again); one that runs past
// its timeout is cancelled by the database and told 504. Both name the report.
//
// PGlite has a single connection and runs one statement at a time whatever the pool: there the
// lane holds one report, so two users opening /kpi do not stack two long reports ahead of every
// tile, and the others wait in this queue rather than in PGlite's. The WASM build has no timer
// signal, so statement_timeout does not fire there: the lane, not the timeout, is its guard.
import PQueue from 'p-queue';
import { ApiError } from '../../domain/apierror';
import type { Database, Queryable } from './client';
import { withSql } from './client';

export interface HeavyReport {
	/** machine name, for logs and the error's field */
	name: string;
	/** what the user is told it was (zh-CN) */
	label: string;
}

/** The heavy reports, by what they are called. */
export const REPORTS = {
	kpi: { name: 'kpi', label: '考核指标' },
	kpiDrill: { name: 'kpi_drill', label: '考核指标明细' },
	kpiSeries: { name: 'kpi_series', label: '考核指标趋势' },
	hotspots: { name: 'hotspots', label: '热点分析' },
	workers: { name: 'workers', label: '网格员工作情况' },
	export: { name: 'export', label: '导出' }
} as const satisfies Record<string, HeavyReport>;

const env = (key: string, fallback: number) => {
	const n = Number(process.env[key]);
	return Number.isFinite(n) && n > 0 ? n : fallback;
};

/**
 * How long one statement of a user's request (tiles, lists, pages, and an import's statements,
 * which run as the user too) may run: far above what any takes (tiles ~0.1–1 s; the largest
 * import statement at its 200 000-row limit a few seconds), low enough that a runaway cannot hold
 * a connection for long. Set per transaction by access/userdb.ts enterUser.
 */
export const INTERACTIVE_TIMEOUT_MS = env('STATEMENT_TIMEOUT_MS', 60_000);
/** How long one statement of a heavy report may run. */
export const HEAVY_TIMEOUT_MS = env('HEAVY_REPORT_TIMEOUT_MS', 30_000);
/** How long a report may wait for its lane before the user is asked to try again. */
export const QUEUE_WAIT_MS = env('HEAVY_REPORT_QUEUE_WAIT_MS', 15_000);
/** Reports waiting beyond this many are refused at once. */
export const QUEUE_MAX = env('HEAVY_REPORT_QUEUE_MAX', 20);

const lanes = new Map<Database['kind'], PQueue>();
function lane(kind: Database['kind']): PQueue {
	let q = lanes.get(kind);
	if (!q) lanes.set(kind, (q = new PQueue({ concurrency: env('HEAVY_REPORT_CONCURRENCY', kind === 'pglite' ? 1 : 2) })));
	return q;
}

/** How many heavy reports run and wait now (for /api/status and tests). */
export function heavyLoad(kind: Database['kind']): { running: number; waiting: number } {
	const q = lane(kind);
	return { running: q.pending, waiting: q.size };
}

/** 57014 query_canceled: the statement timeout fired (or an administrator cancelled the query). */
const isTimeout = (e: unknown) => (e as { code?: unknown } | null)?.code === '57014';

/**
 * Runs `fn` as heavy report `report` on `db`: queued for the lane, then in one transaction whose
 * statements may each run `timeoutMs`. `fn` gets a Queryable that keeps `db`'s user scope (a
 * UserDb's `scope`, which the KPI and screen code read).
 */
export async function heavyReport<T>(db: Database, report: HeavyReport, fn: (q: Queryable) => Promise<T>, o: { timeoutMs?: number; waitMs?: number } = {}): Promise<T> {
	const timeoutMs = o.timeoutMs ?? HEAVY_TIMEOUT_MS;
	const q = lane(db.kind);
	if (q.size >= QUEUE_MAX) throw busy(report);
	const waited = new AbortController();
	const timer = setTimeout(() => waited.abort(), o.waitMs ?? QUEUE_WAIT_MS);
	try {
		return await q.add(async () => {
			// started: from here the task is never aborted (that would free the lane while it runs)
			clearTimeout(timer);
			// PGlite has one connection: a report held in one transaction would lock out the server's
			// own reads the report makes on the side (the hotspot grid set through `system`) and wait
			// for itself for ever. Its WASM build never fires statement_timeout either, so there the
			// lane alone guards: the report runs on db, statement by statement.
			if (db.kind === 'pglite') return fn(db);
			try {
				return await db.transaction(async (tx) => {
					await tx.sql`SELECT set_config('statement_timeout', ${String(Math.round(timeoutMs))}, true)`;
					return fn(keepUser(db, tx));
				});
			} catch (e) {
				if (isTimeout(e)) {
					throw new ApiError(504, 'report_timeout', `${report.label}统计超时（超过 ${Math.round(timeoutMs / 1000)} 秒），请缩小范围或时段后重试`, report.name);
				}
				throw e;
			}
		}, { signal: waited.signal });
	} catch (e) {
		if (waited.signal.aborted && !(e instanceof ApiError)) throw busy(report);
		throw e;
	} finally {
		clearTimeout(timer);
	}
}

/**
 * tx with what a UserDb says about its user besides queries: `scope` (cache keys, whether the
 * KPI rollups apply), `userId`, and `system` (the server's own reads, e.g. the hotspot grid set).
 */
function keepUser(db: Database, tx: Queryable): Queryable {
	if (!('scope' in db)) return tx;
	const { scope, userId, system } = db as unknown as { scope: string; userId: number | null; system: unknown };
	return Object.assign(withSql({ query: tx.query.bind(tx) }), { scope, userId, system });
}

function busy(report: HeavyReport): ApiError {
	return Object.assign(new ApiError(503, 'report_busy', `${report.label}正在排队的统计过多，请稍后重试`, report.name), { retryAfterS: 5 });
}
