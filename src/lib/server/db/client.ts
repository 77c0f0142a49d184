// The one database connection, behind one small interface that both back ends implement:
// embedded PGlite + PostGIS (default, persisted under ./data/) and PostgreSQL + PostGIS through
// DATABASE_URL with the `postgres` client. Callers write the same SQL for both.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql as fragment, toQuery, type Fragment } from './sql';

export type Row = Record<string, any>;

/** Anything that can run parameterised SQL: the database itself or an open transaction. */
export interface Queryable {
	/** One statement with $1…$n parameters. */
	query<T extends Row = Row>(text: string, params?: unknown[]): Promise<T[]>;
	/** Tagged template: interpolated values become parameters, never text; a Fragment (./sql.ts) is spliced in. */
	sql<T extends Row = Row>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]>;
	/** Runs a statement composed from fragments (./sql.ts). */
	run<T extends Row = Row>(statement: Fragment): Promise<T[]>;
}

/** Queries and transactions: what page and endpoint code needs (a UserDb, or the Db itself). */
export interface Database extends Queryable {
	readonly kind: 'pglite' | 'postgres';
	/** Runs fn in a transaction: all of it commits, or none of it. */
	transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

export interface Db extends Database {
	/** Several statements, no parameters (migrations). */
	exec(text: string): Promise<void>;
	/** Bulk load with COPY … FROM in text format; `text` is tab-separated lines ending in \n. */
	copyIn(table: string, columns: string[], text: string): Promise<void>;
	/**
	 * LISTEN on `channel`: `onNotify` gets each NOTIFY payload; `onListen` runs once listening
	 * starts and again after the PostgreSQL client re-listens on a new connection (notifications
	 * sent in between are lost: catch up from the database there). Resolves to the unlisten.
	 */
	listen(channel: string, onNotify: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>;
	close(): Promise<void>;
}

// int8 (count(*), bigserial) and numeric arrive as numbers on both back ends: our ids and
// counts stay far below 2^53.
const INT8 = 20;
const NUMERIC = 1700;

/** Turns a tagged template into `$n` text and a parameter list (nested Fragments flattened). */
export function toParams(strings: TemplateStringsArray, values: unknown[]): [string, unknown[]] {
	const { text, params } = toQuery(fragment(strings, ...values));
	return [text, params];
}

/** `sql` and `run` for anything that has `query` (the database, a transaction, a user's view). */
export function withSql<Q extends { query: Queryable['query'] }>(q: Q): Q & Queryable {
	const run = <T extends Row>(statement: Fragment) => {
		const { text, params } = toQuery(statement);
		return q.query<T>(text, params);
	};
	return Object.assign(q, {
		run,
		sql: <T extends Row>(strings: TemplateStringsArray, ...values: unknown[]) => run<T>(fragment(strings, ...values))
	});
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
function copyStatement(table: string, columns: string[]): string {
	for (const name of [table, ...columns]) {
		if (!IDENT.test(name)) throw new Error(`copyIn: bad identifier "${name}"`);
	}
	return `COPY ${table} (${columns.join(', ')}) FROM STDIN`;
}

export interface PgliteOptions {
	/** Starts from this dump of a data folder (PGlite's dumpDataDir) instead of an empty cluster. */
	loadDataDir?: Blob;
}

/** A PGlite Db, which can also dump its data folder (the tests start from a migrated dump). */
export type PgliteDb = Db & { kind: 'pglite'; dumpDataDir(): Promise<Blob> };

export async function openPglite(dataDir?: string, options: PgliteOptions = {}): Promise<PgliteDb> {
	const { PGlite } = await import('@electric-sql/pglite');
	const { postgis } = await import('@electric-sql/pglite-postgis');
	if (dataDir) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
	const pg = await PGlite.create(dataDir ?? 'memory://', {
		extensions: { postgis },
		parsers: { [INT8]: Number, [NUMERIC]: Number },
		...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {})
	});
	const run = async <T extends Row>(target: { query: typeof pg.query }, text: string, params?: unknown[]) =>
		(await target.query<T>(text, params as any[])).rows;
	return withSql({
		kind: 'pglite' as const,
		query: <T extends Row>(text: string, params?: unknown[]) => run<T>(pg, text, params),
		exec: async (text: string) => {
			await pg.exec(text);
		},
		transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
			pg.transaction((tx) =>
				fn(withSql({ query: <R extends Row>(text: string, params?: unknown[]) => run<R>(tx, text, params) }))
			),
		copyIn: async (table: string, columns: string[], text: string) => {
			const statement = copyStatement(table, columns).replace('STDIN', `'/dev/blob'`);
			await pg.query(statement, [], { blob: new Blob([text]) });
		},
		listen: async (channel: string, onNotify: (payload: string) => void, onListen?: () => void) => {
			const unlisten = await pg.listen(channel, onNotify);
			onListen?.();
			return () => unlisten();
		},
		dumpDataDir: async () => (await pg.dumpDataDir('gzip')) as Blob,
		close: () => pg.close()
	});
}

/**
 * Client-side codes (postgres.js and Node's socket errors) and server SQLSTATEs that mean "the
 * database cannot be reached right now", not "this statement is wrong": the request gets a 503
 * and may be retried. 57P01–57P03: admin/crash shutdown, starting up; 53300: too many
 * connections; class 08: connection exceptions.
 */
const UNAVAILABLE = new Set([
	'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT',
	'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
	'57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006'
]);
// The subset that says this connection is gone, mid-transaction (see transaction below).
const CONNECTION_LOST = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

const codeOf = (e: unknown): unknown => (e as { code?: unknown } | null)?.code;

/** True when `e` means the database is unreachable (a 503 and a retry), not a fault of the SQL. */
export function isDatabaseUnavailable(e: unknown): boolean {
	const code = codeOf(e);
	return (typeof code === 'string' && UNAVAILABLE.has(code)) || (e instanceof Error && e.name === 'DatabaseUnavailableError');
}

/**
 * One line when the database becomes unreachable and one when it answers again, instead of one per
 * failed query: during an outage every request fails, and the log would drown in identical lines.
 */
export class OutageLog {
	private since = 0;
	private lastFailure = 0;
	private failed = 0;
	constructor(private readonly name: string) {}

	failure(e: unknown): void {
		if (!isDatabaseUnavailable(e)) return;
		this.failed++;
		this.lastFailure = Date.now();
		if (this.since) return;
		this.since = Date.now();
		const { code, message } = describeError(e);
		console.error(`[db] ${this.name}: 数据库不可用 (${code}: ${message})；查询将以 503 答复，连接会自动重试`);
	}

	success(): void {
		// a query on a connection the shutdown has not reached yet is no recovery: over only once
		// a second has passed without a failure
		if (!this.since || Date.now() - this.lastFailure < 1000) return;
		const seconds = ((Date.now() - this.since) / 1000).toFixed(1);
		console.log(`[db] ${this.name}: 数据库已恢复（中断约 ${seconds} 秒，期间 ${this.failed} 次查询失败）`);
		this.since = 0;
		this.failed = 0;
	}

	get down(): boolean {
		return this.since > 0;
	}

	/** When a query last failed because the database was unreachable (ms since epoch; 0: never). */
	get lastFailureAt(): number {
		return this.lastFailure;
	}
}

/** An error's code and message for logs and /api/status, without any password from a URL in it. */
export function describeError(e: unknown): { code: string; message: string } {
	const code = String(codeOf(e) ?? (e as Error)?.name ?? 'Error');
	const raw = e instanceof Error ? e.message || (e as { errors?: Error[] }).errors?.[0]?.message || '' : String(e);
	return { code, message: raw.replace(/(\w+:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@').slice(0, 300) };
}

// one per process, not per pool: the opening at boot makes a new pool for every try
const postgresOutage = new OutageLog('PostgreSQL');

// postgres.js retries a closed connection after `backoff(retries)` seconds, `retries` counting
// failed connects across the pool. Its default grows to 20 s, so after an outage of a minute the
// pool could wait that long after PostgreSQL is back; capped at 1 s (with jitter) a query never
// waits long to fail during an outage and the pool reconnects within a second of the server.
const backoff = (retries: number) => Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2);

/** Refused without touching the client: the transaction's connection is gone (see transaction). */
function lostConnection(): Error {
	return Object.assign(new Error('数据库连接已断开，事务未提交'), { code: 'CONNECTION_CLOSED' });
}

// The pool's connect timeout, in seconds: a server that does not answer (host down, network cut)
// fails a connection attempt in 5 s, not postgres.js's 30.
const CONNECT_TIMEOUT_S = 5;

/**
 * How long a statement or transaction may wait for a connection while the database is failing.
 * postgres.js hands a waiting query to the next connection attempt when one fails, so behind a
 * server that does not answer a request waited one 5-s connect timeout per pool's worth of
 * requests ahead of it: 30 queries on a black hole settled at 5, 10 and 15 s, and after a restart
 * in CI a request answered 11.8 s after PostgreSQL was back. Past this wait, and only if an
 * outage was seen since the work was asked for (under load alone, work queues as long as it must),
 * the caller gets its 503 at once.
 */
const CONNECTION_WAIT_MS = CONNECT_TIMEOUT_S * 1000;
// how often a wait past CONNECTION_WAIT_MS looks again for an outage it can give up on
const CONNECTION_WAIT_POLL_MS = 250;
// once a transaction's connection is lost, how long begin() gets to reject by itself
const LOST_GRACE_MS = 1000;

/**
 * A statement or transaction refused before any backend took it is tried once more, this long
 * after: a new connection that fails while the pool recovers (after a restart in the fault suite,
 * one request was refused "57P03 the database system is shutting down" 9.2 s after PostgreSQL was
 * back, alone among ~3 000) costs the user a 503 otherwise. Nothing had run, so nothing is done
 * twice. Not after a connect timeout: that would only double the wait (CONNECTION_WAIT_MS).
 */
const RETRY_BEFORE_START_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `attempt()`, and once more if it was refused as unavailable before `started()` (see above). */
async function onceMoreBeforeStart<T>(attempt: () => Promise<T>, started: () => boolean): Promise<T> {
	try {
		return await attempt();
	} catch (e) {
		const again = () => !started() && isDatabaseUnavailable(e) && codeOf(e) !== 'CONNECT_TIMEOUT';
		if (!again()) throw e;
		await sleep(RETRY_BEFORE_START_MS);
		if (!again()) throw e;
		return attempt();
	}
}

function connectionWaitExceeded(): Error {
	return Object.assign(new Error(`等待数据库连接超过 ${CONNECTION_WAIT_MS / 1000} 秒，数据库暂不可用`), { code: 'CONNECT_TIMEOUT' });
}

/**
 * A promise that rejects with connectionWaitExceeded once work asked for now has waited
 * CONNECTION_WAIT_MS without `reached()` (a backend took it) and `outage` has failed since. `done`
 * stops the watch. The abandoned work is not cancelled: postgres.js cannot take back a query it
 * already gave to a connection attempt (cancelling one leaves that connection out of the pool for
 * good), so it still runs if a connection comes; a transaction then rolls back at once (see
 * transaction), and a single statement is the server's own read or bookkeeping.
 */
function connectionWait(outage: OutageLog, reached: () => boolean): { gaveUp: Promise<never>; done: () => void } {
	const asked = Date.now();
	let timer: ReturnType<typeof setTimeout> | undefined;
	const gaveUp = new Promise<never>((_, reject) => {
		const look = () => {
			if (reached()) return;
			if (outage.lastFailureAt >= asked) return reject(connectionWaitExceeded());
			timer = setTimeout(look, CONNECTION_WAIT_POLL_MS);
			timer.unref?.();
		};
		timer = setTimeout(look, CONNECTION_WAIT_MS);
		timer.unref?.();
	});
	return { gaveUp, done: () => clearTimeout(timer) };
}

export async function openPostgres(url: string): Promise<Db> {
	const { default: postgres } = await import('postgres');
	const number = { to: 0, from: [INT8, NUMERIC], serialize: String, parse: Number };
	// A JSON text bound to json/jsonb goes in as that JSON, as PGlite does; by default postgres.js
	// stringifies strings a second time and stores a jsonb string.
	const asJson = (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x));
	const json = { to: 114, from: [114], serialize: asJson, parse: JSON.parse };
	const jsonb = { to: 3802, from: [3802], serialize: asJson, parse: JSON.parse };
	const sql = postgres(url, {
		max: Number(process.env.DATABASE_POOL_MAX ?? 10),
		connect_timeout: CONNECT_TIMEOUT_S,
		backoff,
		onnotice: () => {},
		// PostgreSQL's JIT (on in Debian's build) compiles a query whose estimate passes
		// jit_above_cost on every call: 20–25 ms of LLVM for the screen's 14-day trend, whose rows
		// take 11 ms (EXPLAIN ANALYZE at 1 000 000 households). The app's queries are short
		// aggregates over indexes: never worth compiling.
		connection: { jit: 'off' },
		types: { number, json, jsonb } as any
	});
	const outage = postgresOutage;
	const observe = async <T>(work: Promise<T>): Promise<T> => {
		try {
			const result = await work;
			// postgres.js fetches the array types on every new connection, in a promise nobody
			// handles: a connection ended during that fetch (a restart just as the pool reconnects)
			// is an unhandled rejection — a crash (connection.js fetchArrayTypes, from ReadyForQuery).
			// The types it learns live in the pool's shared options, so one fetch is enough.
			sql.options.fetch_types = false;
			outage.success();
			return result;
		} catch (e) {
			outage.failure(e);
			throw e;
		}
	};
	const run = async <T extends Row>(target: any, text: string, params?: unknown[]) =>
		[...(await target.unsafe(text, params ?? []))] as T[];
	/** A statement on the pool, given up (503) when it cannot get a connection during an outage. */
	const pooled = async <T>(make: () => any): Promise<T> => {
		let statement: any = null;
		// postgres.js sets a query's state to its backend when a connection takes it
		const reached = () => statement?.state != null;
		const wait = connectionWait(outage, reached);
		try {
			// refused before any backend took it: nothing ran, so once more on a new connection
			return await onceMoreBeforeStart(() => Promise.race([(statement = make()) as Promise<T>, wait.gaveUp]), reached);
		} finally {
			wait.done();
		}
	};
	return withSql({
		kind: 'postgres' as const,
		query: async <T extends Row>(text: string, params?: unknown[]) =>
			[...(await observe(pooled<Iterable<T>>(() => sql.unsafe(text, (params ?? []) as any[]))))] as T[],
		exec: async (text: string) => {
			await observe(pooled(() => sql.unsafe(text).simple()));
		},
		transaction: <T>(fn: (tx: Queryable) => Promise<T>) => observe(transaction(sql, fn)),
		copyIn: async (table: string, columns: string[], text: string) => {
			const writable = await sql.unsafe(copyStatement(table, columns)).writable();
			await pipeline(Readable.from([text]), writable);
		},
		listen: async (channel: string, onNotify: (payload: string) => void, onListen?: () => void) => {
			const { unlisten } = await sql.listen(channel, onNotify, onListen);
			return unlisten;
		},
		close: () => sql.end({ timeout: 5 })
	});

	/**
	 * sql.begin, minus a crash. When the transaction's connection closes (PostgreSQL restarts, a
	 * backend is terminated), postgres.js 3.4.9 rejects `fn`'s query and then, in begin's scope(),
	 * sends ROLLBACK — or COMMIT, if `fn` was between queries — on that same, now socketless,
	 * connection. The write is deferred with setImmediate and throws outside any promise:
	 *
	 *   TypeError: Cannot read properties of null (reading 'write')
	 *       at Immediate.nextWrite (node_modules/postgres/src/connection.js:255:22)
	 *       at process.processImmediate (node:internal/timers:483:21)
	 *
	 * and the process dies (upstream: porsager/postgres#1154, #1208; unfixed in 3.4.9). So once the
	 * connection is lost, `fn` neither resolves nor rejects: begin() never reaches its ROLLBACK or
	 * COMMIT, and rejects by itself through the connection's onclose (the server rolls the
	 * transaction back when the session ends). Queries `fn` still makes are refused here, before they
	 * reach the dead connection; should onclose never come, the caller is answered LOST_GRACE_MS
	 * after the loss (it was a 10-s watchdog, which held a request that long past the outage).
	 *
	 * A transaction still waiting for a connection during an outage is given up after
	 * CONNECTION_WAIT_MS (see connectionWait); if a connection takes it later, `fn` is not run.
	 */
	async function transaction<T>(pool: any, fn: (tx: Queryable) => Promise<T>): Promise<T> {
		let lost = false;
		let started = false;
		let abandoned = false;
		let giveUp!: (e: Error) => void;
		const gaveUp = new Promise<never>((_, reject) => (giveUp = reject));
		let graceTimer: ReturnType<typeof setTimeout> | undefined;
		// the connection is gone: begin() normally rejects by itself through onclose at once; should
		// it not, the caller is answered after a grace instead of waiting for ever
		const markLost = () => {
			if (lost) return;
			lost = true;
			graceTimer = setTimeout(() => giveUp(lostConnection()), LOST_GRACE_MS);
			graceTimer.unref?.();
		};
		const wait = connectionWait(outage, () => started);
		wait.gaveUp.catch((e) => {
			abandoned = true;
			giveUp(e);
		});
		const never = new Promise<never>(() => {});
		const attempt = (): Promise<T> => pool.begin(async (tx: any) => {
			// the caller was told 503 while this waited for a connection: write nothing (ROLLBACK)
			if (abandoned) throw connectionWaitExceeded();
			started = true;
			const guarded = withSql({
				query: async <R extends Row>(text: string, params?: unknown[]) => {
					if (lost) throw lostConnection();
					try {
						return await run<R>(tx, text, params);
					} catch (e) {
						if (CONNECTION_LOST.has(codeOf(e) as string)) markLost();
						throw e;
					}
				}
			});
			try {
				const result = await fn(guarded);
				return lost ? never : result;
			} catch (e) {
				if (CONNECTION_LOST.has(codeOf(e) as string)) markLost();
				if (lost) return never;
				throw e;
			}
		});
		// refused before `fn` began (its connection failed to open): nothing was written, so once
		// more on a new connection — unless the caller has been answered meanwhile
		const begun = onceMoreBeforeStart(attempt, () => started || abandoned);
		try {
			return await Promise.race([begun, gaveUp]);
		} catch (e) {
			lost = true;
			throw e;
		} finally {
			wait.done();
			clearTimeout(graceTimer);
		}
	}
}

/** Opens the configured back end: DATABASE_URL when set, else PGlite under DATA_DIR (./data). */
export function openConfigured(env: Record<string, string | undefined> = process.env): Promise<Db> {
	if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL);
	const dir = path.join(env.DATA_DIR ?? 'data', 'pglite');
	return openPglite(dir);
}
