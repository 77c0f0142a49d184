// The process-wide database: opened once, migrated, and seeded with the demo district on a
// fresh machine. Pages and endpoints call `ready()`; while the first start is seeding they get
// `SeedingError` and show `progress()` instead of the map. When the database cannot be reached at
// boot, the opening is retried with backoff until it can (`ready()` throws DatabaseUnavailableError
// meanwhile, answered with a 503), then migrated and seeded as on any start.
import { describeError, type Db } from './client';
import { openForServing } from './connect';
import { instrumentDb } from './instrument';
import { isStopping, onShutdown } from '../lifecycle';
import { startBackupServices } from '../backup/services';
import type { SeedProgress } from './seeding';
import type { MigrationStatus } from './migrate';

/** The seeding's phases, and one more before them: the database cannot be reached yet. */
export type Progress = Omit<SeedProgress, 'phase'> & { phase: SeedProgress['phase'] | 'waiting_database' };

/** What the opening waits for while the database cannot be reached (for /api/status). */
export interface Waiting {
	/** failed tries so far */
	attempts: number;
	/** the last try's error, without any password */
	lastError: { code: string; message: string };
	/** when the first try failed (ISO time) */
	since: string;
}

interface State {
	opening: Promise<Db> | null;
	/** settles when the first try has succeeded or failed: ready() waits for it, not for recovery */
	firstTry: Promise<void> | null;
	db: Db | null;
	waiting: Waiting | null;
	seeding: Promise<void> | null;
	current: Progress;
	failure: Error | null;
	/** the database answered and the migrations are running (readiness says 'migrating') */
	migrating: boolean;
	/** the migration level reached at the opening (read as the owner) */
	migrations: MigrationStatus | null;
}
// On globalThis, not in module scope: `vite dev` re-evaluates server modules after an edit, and a
// second PGlite opened on the same ./data folder would corrupt it.
const state: State = ((globalThis as { __gridDatabase?: State }).__gridDatabase ??= {
	opening: null,
	firstTry: null,
	db: null,
	waiting: null,
	seeding: null,
	current: { phase: 'opening', done: 0, total: 1, message: '正在打开数据库…' },
	failure: null,
	migrating: false,
	migrations: null
});

/**
 * Seconds between tries: 0.5, 1, then 2 (the database may come back any moment; a refused connect
 * costs nothing). With 5 s the first try after PostgreSQL came up could wait 5 s, and with the
 * migrations the opening then took 5.5–7.3 s against the fault suite's 6 s.
 */
export const retryDelayMs = (attempt: number) => Math.min(500 * 2 ** (attempt - 1), 2000);

export const WAITING_MESSAGE = '正在等待数据库…';

export class SeedingError extends Error {
	constructor(public progress: Progress) {
		super(`数据准备中：${progress.message}`);
	}
}

/** The database cannot be reached (yet): answered with a 503, never kept as a fatal error. */
export class DatabaseUnavailableError extends Error {
	override name = 'DatabaseUnavailableError';
	constructor(public waiting: Waiting | null) {
		super('数据库暂时不可用，请稍后重试');
	}
}

/**
 * Connects and migrates (connect.ts: on PostgreSQL with DATABASE_OWNER_URL the owner migrates and
 * seeds, then its connection closes; the app serves as DATABASE_URL's non-owner role); on success
 * starts seeding in the background when the database is empty.
 */
async function openOnce(): Promise<Db> {
	let serving: Awaited<ReturnType<typeof openForServing>>;
	try {
		serving = await openForServing(process.env, (p) => (state.current = p), undefined, () => (state.migrating = true));
	} finally {
		state.migrating = false;
	}
	const { seeding } = serving;
	state.migrations = serving.migrations;
	const db = instrumentDb(serving.db);
	if (state.waiting) console.log(`[db] 数据库已连接（第 ${state.waiting.attempts + 1} 次尝试）`);
	onShutdown('resources', () => db.close());
	state.seeding = seeding.then(
		() => {
			state.current = { phase: 'ready', done: 1, total: 1, message: '就绪' };
		},
		(e: Error) => {
			state.failure = e;
			state.current = { phase: 'failed', done: 0, total: 1, message: `演示数据生成失败：${e.message}` };
			console.error('[seed] failed:', e);
		}
	);
	return db;
}

/**
 * Opens and migrates the database, retrying until it succeeds (or the server stops). Resolves
 * once it is open; never rejects because the database is down.
 */
export function open(): Promise<Db> {
	if (state.opening) return state.opening;
	startBackupServices(() => state.db);
	let firstTried!: () => void;
	state.firstTry = new Promise((r) => (firstTried = r));
	state.opening = (async () => {
		for (let attempt = 1; ; attempt++) {
			try {
				const db = await openOnce();
				state.db = db;
				state.waiting = null;
				firstTried();
				return db;
			} catch (e) {
				const lastError = describeError(e);
				// one line per kind of failure, not one per try
				if (lastError.message !== state.waiting?.lastError.message) {
					console.error(`[db] 无法打开数据库 (${lastError.code}: ${lastError.message})；将自动重试`);
				}
				// (a migration that fails after connecting is waited on the same way: a DBA may fix it)
				state.waiting = { attempts: attempt, lastError, since: state.waiting?.since ?? new Date().toISOString() };
				state.current = { phase: 'waiting_database', done: 0, total: 1, message: WAITING_MESSAGE };
				firstTried();
			}
			if (isStopping()) throw new DatabaseUnavailableError(state.waiting);
			await new Promise((r) => setTimeout(r, retryDelayMs(attempt)).unref?.());
			if (isStopping()) throw new DatabaseUnavailableError(state.waiting);
		}
	})();
	state.opening.catch(() => {}); // only a stopping server ends the loop: nothing waits for that
	return state.opening;
}

/** The database once the demo district is in place; throws SeedingError before that. */
export async function ready(): Promise<Db> {
	void open();
	// the first try is awaited as before (a fresh PGlite takes seconds); a retry is not: requests
	// get their 503 at once while the database is away
	if (!state.db) await state.firstTry;
	if (!state.db) throw new DatabaseUnavailableError(state.waiting);
	if (state.current.phase !== 'ready') throw new SeedingError(state.current);
	return state.db;
}

export function progress(): Progress {
	return state.current;
}

/** While the opening waits for the database: its attempts and last error; null otherwise. */
export function waiting(): Waiting | null {
	return state.db ? null : state.waiting;
}

/** The open database, or null while it is still opening or waiting (for the health check). */
export function current(): Db | null {
	return state.db;
}

/** The migrations are running now (the database answered; the app cannot serve yet). */
export function migrating(): boolean {
	return state.migrating;
}

/** The migration level reached when the database was opened; null before that. */
export function migrations(): MigrationStatus | null {
	return state.migrations ?? null;
}
