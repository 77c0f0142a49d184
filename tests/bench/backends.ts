// Scratch databases for the benchmark, never the one the URL names: a fresh PostgreSQL database
// (bench_<label>_<pid>) created through BENCH_DATABASE_URL or TEST_DATABASE_URL and dropped
// afterwards, and a PGlite data dir under a temporary folder, removed afterwards. `serverEnv` is
// what a started app needs to open the same data (the browser measurements).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite, openPostgres, type Db } from '../../src/lib/server/db/client';
import { migrate } from '../../src/lib/server/db/migrate';

export interface Backend {
	name: 'PostgreSQL' | 'PGlite';
	/** a migrated, empty database; call once */
	open(): Promise<Db>;
	serverEnv: Record<string, string>;
	/** drops the database / removes the folder (the caller closes its Db first) */
	drop(): Promise<void>;
	/**
	 * Waits (up to `maxMs`) until no autovacuum worker runs on the database and returns the ms
	 * waited: after a bulk seed PostgreSQL vacuums the new tables for minutes, which a visit timed
	 * then would count as the app's own time. PGlite runs no autovacuum.
	 */
	settle(maxMs?: number): Promise<number>;
}

export const POSTGRES_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || '';
export const NO_POSTGRES = 'neither BENCH_DATABASE_URL nor TEST_DATABASE_URL is set';

function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = '/' + database;
	return u.toString();
}

async function admin<T>(fn: (sql: any) => Promise<T>): Promise<T> {
	const { default: postgres } = await import('postgres');
	const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
	try {
		return await fn(sql);
	} finally {
		await sql.end({ timeout: 5 });
	}
}

export async function postgresBackend(label: string): Promise<Backend> {
	const name = `bench_${label}_${process.pid}`.replace(/[^a-z0-9_]/g, '_');
	await admin(async (sql) => {
		// a run killed half-way leaves its database: drop bench databases of processes that are gone
		const stale = await sql`SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_%'`;
		for (const { datname } of stale) {
			const pid = Number(datname.split('_').pop());
			let alive = true;
			try { process.kill(pid, 0); } catch { alive = false; }
			if (!alive || datname === name) await sql.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
		}
		await sql.unsafe(`CREATE DATABASE ${name}`);
	});
	const url = withDatabase(POSTGRES_URL, name);
	return {
		name: 'PostgreSQL',
		async open() {
			const db = await openPostgres(url);
			await migrate(db);
			return db;
		},
		serverEnv: { DATABASE_URL: url },
		drop: () => admin((sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
		settle: (maxMs = 300_000) =>
			admin(async (sql) => {
				const start = Date.now();
				while (Date.now() - start < maxMs) {
					const [{ n }] = await sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = ${name}`;
					if (n === 0) break;
					await new Promise((r) => setTimeout(r, 1000));
				}
				return Date.now() - start;
			})
	};
}

export function pgliteBackend(label: string): Backend {
	const dir = mkdtempSync(path.join(os.tmpdir(), `bench-pglite-${label}-`));
	return {
		name: 'PGlite',
		async open() {
			// the same layout the app uses for DATA_DIR (src/lib/server/db/client.ts openConfigured)
			const db = await openPglite(path.join(dir, 'pglite'));
			await migrate(db);
			return db;
		},
		serverEnv: { DATA_DIR: dir },
		drop: async () => rmSync(dir, { recursive: true, force: true }),
		settle: async () => 0
	};
}
