// Runs one set of integration cases against both database back ends:
//
//   describeBackends('db layer', (getDb, backend) => {
//     it('counts', async () => expect(await getDb().sql`SELECT 1 AS n`).toEqual([{ n: 1 }]));
//   });
//
// gives two describe blocks, "pglite" and "postgres", each holding every case.
// - pglite: one in-memory PGlite + PostGIS per test file, shared by every describeBackends block in
//   that file. Creating PostGIS and applying every migration costs more than opening PGlite, so the
//   first file of a run (on a fresh clone) migrates an empty cluster and saves a dump of it under
//   node_modules/.cache, keyed by the migrations and the PGlite versions; later files start from
//   that dump (and migrate() confirms it is current). A file that calls freshPglite() starts empty.
// - postgres: a fresh database per block, named gridtest_<time>_<pid>_<random>, created through an
//   admin connection to TEST_DATABASE_URL as a copy of a migrated template (gridtest_tpl_<key>_<time>,
//   made once by the first block with PostGIS and migrate(), keyed like the PGlite dump), dropped afterwards.
//   Without TEST_DATABASE_URL the block is reported as skipped (never as passed); scripts/test.mjs
//   prints why.
// Cases share their database with the other cases of the same block: write rows under unique keys
// (see `unique()`), or undo what you wrote.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { openPglite, openPostgres, type Db } from '../../../src/lib/server/db/client';
import { migrate, readMigrations } from '../../../src/lib/server/db/migrate';

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

let snapshotAllowed = process.env.GRID_TEST_SNAPSHOT !== '0';

/**
 * This file's databases start empty and are migrated here, on both back ends, instead of starting
 * from a migrated dump or template (the migration tests need that).
 */
export function freshDatabases(): void {
	snapshotAllowed = false;
}

const SNAPSHOT_DIR = path.resolve('node_modules/.cache/grid-tests');

/** The dump's name: it changes with any migration's name or text and with the PGlite packages. */
function snapshotKey(): string {
	const hash = createHash('sha256');
	for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-postgis']) {
		hash.update(JSON.parse(readFileSync(path.resolve('node_modules', pkg, 'package.json'), 'utf8')).version);
	}
	for (const m of readMigrations()) hash.update(`\0${m.version}\0${m.sql}`);
	return hash.digest('hex').slice(0, 16);
}

async function openMigratedPglite(): Promise<Shared> {
	if (!snapshotAllowed) {
		const db = await openPglite();
		return { db, applied: await migrate(db) };
	}
	const base = path.join(SNAPSHOT_DIR, `pglite-${snapshotKey()}`);
	if (existsSync(`${base}.tgz`) && existsSync(`${base}.json`)) {
		const applied: string[] = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
		const db = await openPglite(undefined, { loadDataDir: new Blob([readFileSync(`${base}.tgz`)]) });
		const missing = await migrate(db);
		if (missing.length) throw new Error(`PGlite test dump ${base}.tgz lacks ${missing.join(', ')}: delete it`);
		return { db, applied };
	}
	const db = await openPglite();
	const applied = await migrate(db);
	// written under a temporary name and renamed, so a parallel run never reads half a dump
	mkdirSync(SNAPSHOT_DIR, { recursive: true });
	const tmp = `${base}.${process.pid}.tmp`;
	writeFileSync(`${tmp}.tgz`, Buffer.from(await (await db.dumpDataDir()).arrayBuffer()));
	writeFileSync(`${tmp}.json`, JSON.stringify(applied));
	renameSync(`${tmp}.json`, `${base}.json`);
	renameSync(`${tmp}.tgz`, `${base}.tgz`);
	return { db, applied };
}

function sharedPglite(): Promise<Shared> {
	pglite ??= openMigratedPglite();
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

const TEMPLATE_PREFIX = `${PREFIX}tpl_`;

/**
 * A database migrated to the current db/migrations, copied by CREATE DATABASE … TEMPLATE (a file
 * copy: far quicker than PostGIS and every migration per block). The template is made once per
 * migration set; templates of other migration sets older than STALE_MS are dropped. Everything that
 * touches the template — making it, reading its versions, copying it — holds one advisory lock:
 * test files run two at a time, and PostgreSQL refuses to copy a database another session is
 * connected to. Returns the copy's name and the versions migrate() applied to the template.
 */
async function createMigratedTestDatabase(url: string): Promise<{ name: string; applied: string[] }> {
	const key = snapshotKey();
	const admin = await adminSql(url);
	try {
		await admin`SELECT pg_advisory_lock(hashtext('gridtest_template'))`;
		const found = await admin`SELECT datname FROM pg_database WHERE datname LIKE ${TEMPLATE_PREFIX + key + '_%'}`;
		let template = found[0]?.datname as string | undefined;
		if (!template) {
			for (const { datname } of await admin`SELECT datname FROM pg_database WHERE datname LIKE ${TEMPLATE_PREFIX + '%'}`) {
				const created = Number(/_(\d+)$/.exec(datname)?.[1]);
				if (created && Date.now() - created > STALE_MS) await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
			}
			template = `${TEMPLATE_PREFIX}${key}_${Date.now()}`;
			await admin.unsafe(`CREATE DATABASE ${template}`);
			const db = await openPostgres(withDatabase(url, template));
			try {
				await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
				await migrate(db);
			} catch (err) {
				await db.close();
				await admin.unsafe(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
				throw err;
			}
			await db.close();
		}
		const tdb = await adminSql(withDatabase(url, template));
		let applied: string[];
		try {
			applied = (await tdb`SELECT version FROM schema_migrations ORDER BY version`).map((r) => r.version as string);
		} finally {
			await tdb.end({ timeout: 5 });
		}
		const name = `${PREFIX}${Date.now()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
		await dropStaleDatabases(admin);
		await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
		return { name, applied };
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
				if (snapshotAllowed) {
					({ name: database, applied } = await createMigratedTestDatabase(TEST_DATABASE_URL!));
					db = await openPostgres(withDatabase(TEST_DATABASE_URL!, database));
					const missing = await migrate(db);
					if (missing.length) throw new Error(`test template lacks ${missing.join(', ')}`);
				} else {
					database = await createTestDatabase(TEST_DATABASE_URL!);
					db = await openPostgres(withDatabase(TEST_DATABASE_URL!, database));
					applied = await migrate(db);
				}
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
