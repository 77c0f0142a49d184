// Runs one set of integration cases against both database back ends:
//
//   describeBackends('db layer', (getDb, backend) => {
//     it('counts', async () => expect(await getDb().sql`SELECT 1 AS n`).toEqual([{ n: 1 }]));
//   });
//
// gives two describe blocks, "pglite" and "postgres", each holding every case.
// - pglite: one in-memory PGlite + PostGIS per test file (opening one costs ~10 s here), migrated
//   once and shared by every describeBackends block in that file.
// - postgres: a fresh database per block, named gridtest_<time>_<pid>_<random>, created through an
//   admin connection to TEST_DATABASE_URL with PostGIS and migrate() applied, dropped afterwards.
//   Without TEST_DATABASE_URL the block is reported as skipped (never as passed); scripts/test.mjs
//   prints why.
// Cases share their database with the other cases of the same block: write rows under unique keys
// (see `unique()`), or undo what you wrote.
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { openPglite, openPostgres, type Db } from '../../../src/lib/server/db/client';
import { migrate } from '../../../src/lib/server/db/migrate';

export type BackendKind = Db['kind'];

export interface Backend {
	kind: BackendKind;
	/** Migration versions that the setup of this database applied (all of them: it started empty). */
	readonly applied: string[];
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

const PREFIX = 'gridtest_';
// a database left behind by a killed run is dropped by a later run once it is this old
const STALE_MS = 6 * 3600_000;

interface Shared {
	db: Db;
	applied: string[];
}

// One PGlite per test file: vitest evaluates this module afresh for every file.
let pglite: Promise<Shared> | undefined;
let pgliteCloseRegistered = false;

function sharedPglite(): Promise<Shared> {
	pglite ??= (async () => {
		const db = await openPglite();
		return { db, applied: await migrate(db) };
	})();
	return pglite;
}

async function closePglite(): Promise<void> {
	const open = pglite;
	pglite = undefined;
	if (open) await (await open).db.close();
}

let counter = 0;
/** A key no other case (or earlier run against the same database) uses: `${prefix}${time}${n}`. */
export function unique(prefix = 't'): string {
	return `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Connection URL for `database` on the server of `url`, keeping credentials and options. */
export function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = '/' + encodeURIComponent(database);
	return u.toString();
}

async function adminSql(url: string) {
	const { default: postgres } = await import('postgres');
	return postgres(url, { max: 1, onnotice: () => {} });
}

/** Creates an empty database with PostGIS and returns its name. */
export async function createTestDatabase(url: string): Promise<string> {
	const name = `${PREFIX}${Date.now()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = await adminSql(url);
	try {
		await dropStaleDatabases(admin);
		await admin.unsafe(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end({ timeout: 5 });
	}
	const db = await adminSql(withDatabase(url, name));
	try {
		await db.unsafe('CREATE EXTENSION IF NOT EXISTS postgis');
	} finally {
		await db.end({ timeout: 5 });
	}
	return name;
}

export async function dropTestDatabase(url: string, name: string): Promise<void> {
	if (!name.startsWith(PREFIX) || !/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop "${name}"`);
	const admin = await adminSql(url);
	try {
		await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	} finally {
		await admin.end({ timeout: 5 });
	}
}

async function dropStaleDatabases(admin: Awaited<ReturnType<typeof adminSql>>): Promise<void> {
	const rows = await admin`SELECT datname FROM pg_database WHERE datname LIKE ${PREFIX + '%'}`;
	for (const { datname } of rows) {
		const created = Number(/^gridtest_(\d+)_/.exec(datname)?.[1]);
		if (created && Date.now() - created > STALE_MS) await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
	}
}

/**
 * Runs `setup` once before the block's cases. When it throws, every case of the block fails with
 * that error (a failing beforeAll alone would leave them "skipped" and the file failed without a
 * message, which hides which back end broke).
 */
function failFast(setup: () => Promise<void>): () => unknown {
	let error: unknown;
	beforeAll(async () => {
		try {
			await setup();
		} catch (err) {
			error = err;
		}
	});
	beforeEach(() => {
		if (error) throw error;
	});
	return () => error;
}

function getter(kind: BackendKind, current: () => Db | undefined, setupError: () => unknown): () => Db {
	return () => {
		const db = current();
		if (setupError()) throw setupError();
		if (!db) throw new Error(`${kind} database is not open: call getDb() inside a test or hook, not while collecting`);
		return db;
	};
}

/**
 * Defines the cases in `cases` once and runs them on each back end, in describe blocks named
 * "pglite" and "postgres" inside a describe named `name`. `getDb()` is valid inside tests and hooks.
 */
export function describeBackends(name: string, cases: (getDb: () => Db, backend: Backend) => void): void {
	// Registered once, in the scope of the file's first describeBackends call (the file itself when
	// called at top level): the instance outlives the blocks that use it and closes when the file is
	// done. A block that still runs after that reopens it.
	if (!pgliteCloseRegistered) {
		pgliteCloseRegistered = true;
		afterAll(closePglite);
	}
	describe(name, () => {
		describe('pglite', () => {
			let shared: Shared | undefined;
			const backend: Backend = { kind: 'pglite', get applied() { return shared?.applied ?? []; } };
			const setupError = failFast(async () => {
				shared = await sharedPglite();
			});
			cases(getter('pglite', () => shared?.db, setupError), backend);
		});

		describe.skipIf(!TEST_DATABASE_URL)('postgres', () => {
			let db: Db | undefined;
			let database: string | undefined;
			let applied: string[] = [];
			const backend: Backend = { kind: 'postgres', get applied() { return applied; } };
			const setupError = failFast(async () => {
				database = await createTestDatabase(TEST_DATABASE_URL!);
				db = await openPostgres(withDatabase(TEST_DATABASE_URL!, database));
				applied = await migrate(db);
			});
			afterAll(async () => {
				await db?.close();
				db = undefined;
				if (database) await dropTestDatabase(TEST_DATABASE_URL!, database);
			});
			cases(getter('postgres', () => db, setupError), backend);
		});
	});
}
