// A transaction whose connection dies must fail like any query — never crash the process. With
// postgres.js 3.4.9's sql.begin alone it does crash: after the connection closes, begin sends
// ROLLBACK/COMMIT on the socketless connection from a setImmediate (see db.ts, transaction). The
// backends are ended with pg_terminate_backend on our own test database only, so the shared
// cluster keeps serving everyone else; restarts of a whole server are in tests/faults/run.mjs.
// PostgreSQL only: PGlite runs in-process and has no connection to lose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError, isDatabaseUnavailable, openPostgres, type Db } from '../../src/lib/server/db';
import { createTestDatabase, dropTestDatabase, TEST_DATABASE_URL, withDatabase } from './helpers/backends';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!TEST_DATABASE_URL)('postgres', () => {
	describe('database faults', () => {
		let db: Db;
		let admin: Db;
		let name: string;
		const crashes: unknown[] = [];
		const onCrash = (e: unknown) => crashes.push(e);
		beforeAll(async () => {
			name = await createTestDatabase(TEST_DATABASE_URL!);
			db = await openPostgres(withDatabase(TEST_DATABASE_URL!, name));
			admin = await openPostgres(withDatabase(TEST_DATABASE_URL!, name));
			await db.exec('CREATE TABLE fault_t (id int PRIMARY KEY)');
			process.on('uncaughtException', onCrash);
		});
		afterAll(async () => {
			process.off('uncaughtException', onCrash);
			await db?.close();
			await admin?.close();
			if (name) await dropTestDatabase(TEST_DATABASE_URL!, name);
		});

		/** Ends every backend of `db` on the test database (not admin's own). */
		const terminateOthers = () =>
			admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
				WHERE datname = current_database() AND pid <> pg_backend_pid()`);

		it('a backend killed between two statements of a transaction: it rejects, nothing is committed, the process lives', async () => {
			const outcome = db
				.transaction(async (tx) => {
					await tx.query('INSERT INTO fault_t VALUES (1)');
					await sleep(300); // the backend is terminated meanwhile
					await tx.query('INSERT INTO fault_t VALUES (2)');
				})
				.then(() => 'committed', (e) => e);
			await sleep(100);
			await terminateOthers();
			const e = await outcome;
			await sleep(200); // a deferred write on the dead socket would throw about now
			expect(crashes).toEqual([]);
			expect(isDatabaseUnavailable(e)).toBe(true);
			expect(await db.query('SELECT count(*) AS n FROM fault_t')).toEqual([{ n: 0 }]);
		});

		it('a backend killed during a statement: the transaction rejects as unavailable and the pool serves the next one', async () => {
			const outcome = db
				.transaction(async (tx) => {
					await tx.query('INSERT INTO fault_t VALUES (3)');
					await tx.query('SELECT pg_sleep(2)');
				})
				.then(() => 'committed', (e) => e);
			await sleep(300);
			await terminateOthers();
			const e = await outcome;
			await sleep(200);
			expect(crashes).toEqual([]);
			expect(describeError(e).code).toMatch(/^(CONNECTION_CLOSED|ECONNRESET|57P01)$/);
			await db.transaction((tx) => tx.query('INSERT INTO fault_t VALUES (4)'));
			expect(await db.query('SELECT id FROM fault_t ORDER BY id')).toEqual([{ id: 4 }]);
		});

		it('many transactions in flight when their backends die: every one settles, none crashes', async () => {
			const runs = Array.from({ length: 20 }, (_, i) =>
				db
					.transaction(async (tx) => {
						await tx.query('SELECT pg_sleep(0.05)');
						await sleep(50 + (i % 5) * 30);
						await tx.query('SELECT 1');
					})
					.then(() => 'ok', (e) => (isDatabaseUnavailable(e) ? 'unavailable' : `other: ${describeError(e).message}`))
			);
			await sleep(80);
			await terminateOthers();
			const outcomes = await Promise.all(runs);
			await sleep(200);
			expect(crashes).toEqual([]);
			expect(outcomes.filter((o) => o !== 'ok' && o !== 'unavailable')).toEqual([]);
			expect(outcomes).toContain('unavailable');
		});

		it('passwords never reach a described error', () => {
			const e = new Error('connect failed for postgres://grid:s3cret@db:5432/x');
			expect(describeError(e).message).toBe('connect failed for postgres://grid:***@db:5432/x');
		});
	});
});
