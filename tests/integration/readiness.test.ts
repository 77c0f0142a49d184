// Readiness (ops/readiness.ts) against a real database on both back ends: ready only when a real
// `SELECT 1` answers and the migrations and the seed are done; and the measured serving connection
// (db/instrument.ts) counting statements in flight and their durations for /metrics.
import { describe, expect, it } from 'vitest';
import { freePort } from './helpers/ports';
import { describeBackends } from './helpers/backends';
import { openPostgres, type Db } from '../../src/lib/server/db/client';
import { instrumentDb } from '../../src/lib/server/db/instrument';
import { migrationStatus, readMigrations } from '../../src/lib/server/db/migrate';
import { readiness, type DatabaseState } from '../../src/lib/server/ops/readiness';
import { exposition } from '../../src/lib/server/ops/metrics';
import type { Progress } from '../../src/lib/server/db/database';

const READY: Progress = { phase: 'ready', done: 1, total: 1, message: '就绪' };
const state = (db: Db | null, o: Partial<DatabaseState> = {}): DatabaseState => ({
	waiting: () => null,
	current: () => db,
	migrating: () => false,
	progress: () => READY,
	...o
});

describeBackends('readiness', (getDb, backend) => {
	it('ready when the database answers and is migrated and seeded', async () => {
		expect(await readiness(state(getDb()))).toEqual({ ready: true, backend: backend.kind });
	});

	it('not ready, with the reason, while connecting, migrating or seeding, or when the seed failed', async () => {
		expect(await readiness(state(null))).toMatchObject({ ready: false, reason: 'waiting_database' });
		expect(await readiness(state(null, { migrating: () => true }))).toMatchObject({ ready: false, reason: 'migrating' });
		// a retry that got through to the database migrates: no longer waiting for it
		const retrying = { waiting: () => ({ attempts: 2, since: '2026-01-01T00:00:00.000Z', lastError: { code: 'ECONNREFUSED', message: 'x' } }), migrating: () => true };
		expect(await readiness(state(null, retrying))).toMatchObject({ ready: false, reason: 'migrating' });
		const seeding = state(getDb(), { progress: () => ({ phase: 'loading', done: 3, total: 9, message: '正在写入住户…' }) });
		expect(await readiness(seeding)).toMatchObject({ ready: false, reason: 'seeding', message: '正在写入住户…' });
		const failed = state(getDb(), { progress: () => ({ phase: 'failed', done: 0, total: 1, message: '演示数据生成失败：x' }) });
		expect(await readiness(failed)).toMatchObject({ ready: false, reason: 'seed_failed' });
		const waiting = state(null, { waiting: () => ({ attempts: 3, since: '2026-01-01T00:00:00.000Z', lastError: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.9:5432' } }) });
		const w = await readiness(waiting);
		expect(w).toMatchObject({ ready: false, reason: 'waiting_database', attempts: 3, errorCode: 'ECONNREFUSED' });
		// the code, never the message with its host
		expect(JSON.stringify(w)).not.toContain('10.0.0.9');
	});

	it('the migration level: every migration this program carries is applied', async () => {
		const m = await migrationStatus(getDb());
		const files = readMigrations();
		expect(m).toMatchObject({ level: files.at(-1)!.version, latest: files.at(-1)!.version, applied: files.length });
		expect(Number.isNaN(Date.parse(m.appliedAt!))).toBe(false);
	});

	it('the measured connection: statements and transactions counted, none left in flight', async () => {
		const db = instrumentDb(getDb(), 4);
		const count = async (kind: string) =>
			Number(new RegExp(`^db_query_duration_seconds_count\\{backend="${backend.kind}",kind="${kind}",outcome="ok"\\} (\\d+)`, 'm').exec((await exposition()).body)?.[1] ?? 0);
		const [q0, t0] = [await count('query'), await count('transaction')];
		await Promise.all([db.sql`SELECT 1`, db.sql`SELECT pg_sleep(0.05)`, db.transaction((tx) => tx.sql`SELECT 2`)]);
		await expect(db.sql`SELECT * FROM no_such_table`).rejects.toThrow();
		const text = (await exposition()).body;
		expect(await count('query')).toBe(q0 + 2);
		expect(await count('transaction')).toBe(t0 + 1);
		expect(text).toMatch(new RegExp(`^db_query_duration_seconds_count\\{backend="${backend.kind}",kind="query",outcome="error"\\} [1-9]`, 'm'));
		expect(text).toContain(`db_queries_in_flight{backend="${backend.kind}"} 0`);
		expect(text).toContain(`db_pool_size{backend="${backend.kind}"} 4`);
		expect(text).toContain(`db_pool_waiting{backend="${backend.kind}"} 0`);
	});
});

describe('readiness when PostgreSQL does not answer', () => {
	it('database_unavailable, with the error code and no password, within the probe deadline', async () => {
		const db = await openPostgres(`postgres://grid:s3cret-pw@127.0.0.1:${await freePort()}/grid`);
		try {
			const started = Date.now();
			const r = await readiness(state(db));
			expect(r).toMatchObject({ ready: false, reason: 'database_unavailable', backend: 'postgres', errorCode: 'ECONNREFUSED' });
			expect(Date.now() - started).toBeLessThan(3000);
			expect(JSON.stringify(r)).not.toContain('s3cret-pw');
		} finally {
			await db.close();
		}
	});
});
