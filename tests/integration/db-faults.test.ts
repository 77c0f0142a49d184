// A transaction whose connection dies must fail like any query — never crash the process. With
// postgres.js 3.4.9's sql.begin alone it does crash: after the connection closes, begin sends
// ROLLBACK/COMMIT on the socketless connection from a setImmediate (see client.ts, transaction). The
// backends are ended with pg_terminate_backend on our own test database only, so the shared
// cluster keeps serving everyone else; restarts of a whole server are in tests/faults/run.mjs.
// PostgreSQL only: PGlite runs in-process and has no connection to lose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError, isDatabaseUnavailable, openPostgres, type Db } from '../../src/lib/server/db/client';
import net from 'node:net';
import { LiveHub, type LiveEvent } from '../../src/lib/server/live/hub';
import { migrate } from '../../src/lib/server/db/migrate';
import { createTestDatabase, dropTestDatabase, TEST_DATABASE_URL, withDatabase } from './helpers/backends';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// how soon a transaction whose backend died must settle: a request waiting longer holds its
// answer past the moment PostgreSQL is back (the fault suite allows 10 s for the whole recovery).
// It settles in ~0.1 s; the old watchdog took 10 s; the margin is for a busy CI machine.
const SETTLE_MS = 5000;

/** PostgreSQL's answer to a new connection while it shuts down: FATAL 57P03. */
function shuttingDown(): Buffer {
	const fields = Buffer.from('SFATAL\0VFATAL\0C57P03\0Mthe database system is shutting down\0\0');
	const head = Buffer.alloc(5);
	head.write('E', 0);
	head.writeInt32BE(4 + fields.length, 1);
	return Buffer.concat([head, fields]);
}

/**
 * A TCP server that takes connections and says nothing — a PostgreSQL host behind a cut network
 * or a stalled server — until `release()`, after which new connections are passed to `target`.
 */
async function holdingProxy(target?: { host: string; port: number }, o: { dropFirst?: number } = {}) {
	const held: net.Socket[] = [];
	let released = !!o.dropFirst;
	let passed = 0;
	let dropped = 0;
	const server = net.createServer((client) => {
		client.on('error', () => {});
		// a connection refused as it opens, as a server shutting down refuses it
		if (dropped < (o.dropFirst ?? 0)) return void (dropped++, client.once('data', () => client.end(shuttingDown())));
		if (!released || !target) return void held.push(client);
		passed++;
		const upstream = net.connect(target.port, target.host);
		upstream.on('error', () => client.destroy());
		client.pipe(upstream).pipe(client);
		client.on('close', () => upstream.destroy());
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return {
		port: (server.address() as net.AddressInfo).port,
		release: () => void (released = true),
		get passed() {
			return passed;
		},
		close: () => {
			held.forEach((s) => s.destroy());
			return new Promise<void>((r) => server.close(() => r()));
		}
	};
}

// postgres.js's connect timeout in client.ts, and what a waiting request may add to it: ~0.3 s
// here, the margin for a busy CI machine (the next attempt's requests, before, waited 10 s)
const CONNECT_TIMEOUT_MS = 5000;
const ANSWER_SLACK_MS = 3000;

describe('a PostgreSQL that does not answer', () => {
	it('every waiting statement and transaction is answered 503 within one connect timeout, not one per pool of requests ahead', async () => {
		const proxy = await holdingProxy();
		const db = await openPostgres(`postgres://grid:pw@127.0.0.1:${proxy.port}/grid`);
		try {
			const t0 = Date.now();
			const settle = (p: Promise<unknown>) =>
				p.then(
					() => ({ ok: true, unavailable: false, ms: Date.now() - t0 }),
					(e) => ({ ok: false, unavailable: isDatabaseUnavailable(e), ms: Date.now() - t0 })
				);
			// 40 at once on a pool of 10: 30 wait behind the 10 connection attempts (they were
			// answered at 5, 10 and 15 s before)
			const outcomes = await Promise.all([
				...Array.from({ length: 30 }, () => settle(db.query('SELECT 1'))),
				...Array.from({ length: 10 }, () => settle(db.transaction((tx) => tx.query('SELECT 1'))))
			]);
			expect(outcomes.filter((o) => o.ok || !o.unavailable)).toEqual([]);
			expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(CONNECT_TIMEOUT_MS + ANSWER_SLACK_MS);
		} finally {
			await db.close().catch(() => {});
			await proxy.close();
		}
	}, 30_000);
});

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
		const terminate = (pid: number) => admin.query('SELECT pg_terminate_backend($1)', [pid]);
		/** A promise and its resolve: lets a case act at a known point inside a transaction. */
		const signal = <T>() => {
			let resolve!: (v: T) => void;
			return { promise: new Promise<T>((r) => (resolve = r)), resolve };
		};
		const pidOf = async (tx: { query: Db['query'] }) => (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0].pid;

		it('a backend killed between two statements of a transaction: it rejects, nothing is committed, the process lives', async () => {
			const inside = signal<number>();
			const outcome = db
				.transaction(async (tx) => {
					await tx.query('INSERT INTO fault_t VALUES (1)');
					inside.resolve(await pidOf(tx));
					await sleep(500); // the backend is terminated meanwhile
					await tx.query('INSERT INTO fault_t VALUES (2)');
				})
				.then(() => 'committed', (e) => e);
			await terminate(await inside.promise);
			const killed = Date.now();
			const e = await outcome;
			const settledMs = Date.now() - killed;
			await sleep(200); // a deferred write on the dead socket would throw about now
			expect(crashes).toEqual([]);
			expect(isDatabaseUnavailable(e)).toBe(true);
			// the request answers 503 at once, not when a watchdog comes round (it was 10 s)
			expect(settledMs).toBeLessThan(SETTLE_MS);
			expect(await db.query('SELECT count(*) AS n FROM fault_t')).toEqual([{ n: 0 }]);
		});

		it('a backend killed during a statement: the transaction rejects as unavailable and the pool serves the next one', async () => {
			const inside = signal<number>();
			const outcome = db
				.transaction(async (tx) => {
					await tx.query('INSERT INTO fault_t VALUES (3)');
					inside.resolve(await pidOf(tx));
					await tx.query('SELECT pg_sleep(5)');
				})
				.then(() => 'committed', (e) => e);
			const pid = await inside.promise;
			await sleep(200); // into the pg_sleep
			await terminate(pid);
			const killed = Date.now();
			const e = await outcome;
			expect(Date.now() - killed).toBeLessThan(SETTLE_MS);
			await sleep(200);
			expect(crashes).toEqual([]);
			expect(describeError(e).code).toMatch(/^(CONNECTION_CLOSED|ECONNRESET|57P01)$/);
			await db.transaction((tx) => tx.query('INSERT INTO fault_t VALUES (4)'));
			expect(await db.query('SELECT id FROM fault_t ORDER BY id')).toEqual([{ id: 4 }]);
		});

		it('many transactions in flight when their backends die: every one settles, none crashes', async () => {
			let started = 0;
			const enough = signal<void>();
			const runs = Array.from({ length: 20 }, (_, i) =>
				db
					.transaction(async (tx) => {
						await tx.query('SELECT 1');
						if (++started === 5) enough.resolve();
						await sleep(100 + (i % 5) * 50);
						await tx.query('SELECT pg_sleep(0.05)');
					})
					.then(() => 'ok', (e) => (isDatabaseUnavailable(e) ? 'unavailable' : `other: ${describeError(e).message}`))
			);
			await enough.promise;
			await terminateOthers();
			const killed = Date.now();
			const outcomes = await Promise.all(runs);
			expect(Date.now() - killed).toBeLessThan(SETTLE_MS);
			await sleep(200);
			expect(crashes).toEqual([]);
			expect(outcomes.filter((o) => o !== 'ok' && o !== 'unavailable')).toEqual([]);
			expect(outcomes).toContain('unavailable');
		});

		it('the live hub listens again after its connection is ended, and delivers what was published meanwhile', async () => {
			await migrate(db);
			const hub = new LiveHub(db);
			await hub.start();
			const got: LiveEvent[] = [];
			hub.subscribe((e) => got.push(e));
			const publish = (probe: string) => admin.query(`SELECT live_publish('checkin', jsonb_build_object('probe', $1::text))`, [probe]);
			try {
				await publish('before');
				await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
					WHERE datname = current_database() AND query ILIKE 'listen%' AND pid <> pg_backend_pid()`);
				await publish('meanwhile'); // before postgres.js has listened again
				await sleep(1500);
				await publish('after');
				for (let i = 0; i < 50 && got.length < 3; i++) await sleep(100);
				expect(crashes).toEqual([]);
				expect(got.map((e) => e.probe)).toEqual(['before', 'meanwhile', 'after']);
			} finally {
				await hub.stop();
			}
		});

		it('a transaction given up while it waited for a connection writes nothing when the connection comes', async () => {
			await db.exec('CREATE TABLE fault_late (id int PRIMARY KEY)');
			const url = new URL(withDatabase(TEST_DATABASE_URL!, name));
			const proxy = await holdingProxy({ host: url.hostname, port: Number(url.port || 5432) });
			url.hostname = '127.0.0.1';
			url.port = String(proxy.port);
			const late = await openPostgres(url.toString());
			try {
				const outcomes = await Promise.all(
					Array.from({ length: 25 }, (_, i) =>
						late.transaction((tx) => tx.query('INSERT INTO fault_late VALUES ($1)', [i])).then(
							() => 'committed',
							(e) => (isDatabaseUnavailable(e) ? 'unavailable' : `other: ${describeError(e).message}`)
						)
					)
				);
				// every caller was told 503 …
				expect(outcomes.filter((o) => o !== 'unavailable')).toEqual([]);
				// … then the network comes back, and the pool's next attempts take the waiting work
				proxy.release();
				for (let i = 0; i < 50 && proxy.passed < 3; i++) await sleep(100);
				await sleep(1500);
				expect(proxy.passed).toBeGreaterThan(0);
				// … of which nothing is written: those callers were answered long ago
				expect(await db.query('SELECT count(*) AS n FROM fault_late')).toEqual([{ n: 0 }]);
				// and the pool serves again, every connection of it
				await Promise.all(Array.from({ length: 12 }, (_, i) => late.transaction((tx) => tx.query('INSERT INTO fault_late VALUES ($1)', [100 + i]))));
				expect(await db.query('SELECT count(*) AS n FROM fault_late')).toEqual([{ n: 12 }]);
				expect(crashes).toEqual([]);
			} finally {
				await late.close().catch(() => {});
				await proxy.close();
			}
		}, 30_000);

		it('a statement or transaction whose new connection fails as it opens is tried once more, and done once', async () => {
			await db.exec('CREATE TABLE fault_retry (id int PRIMARY KEY)');
			const url = new URL(withDatabase(TEST_DATABASE_URL!, name));
			for (const kind of ['transaction', 'statement'] as const) {
				const proxy = await holdingProxy({ host: url.hostname, port: Number(url.port || 5432) }, { dropFirst: 1 });
				const via = new URL(url);
				via.hostname = '127.0.0.1';
				via.port = String(proxy.port);
				const fresh = await openPostgres(via.toString());
				try {
					const id = kind === 'transaction' ? 1 : 2;
					if (kind === 'transaction') await fresh.transaction((tx) => tx.query('INSERT INTO fault_retry VALUES ($1)', [id]));
					else await fresh.query('INSERT INTO fault_retry VALUES ($1)', [id]);
					expect(proxy.passed, kind).toBe(1);
				} finally {
					await fresh.close().catch(() => {});
					await proxy.close();
				}
			}
			expect(await db.query('SELECT id FROM fault_retry ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
			expect(crashes).toEqual([]);
		});

		it('passwords never reach a described error', () => {
			const e = new Error('connect failed for postgres://grid:s3cret@db:5432/x');
			expect(describeError(e).message).toBe('connect failed for postgres://grid:***@db:5432/x');
		});
	});
});
