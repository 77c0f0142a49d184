// Heavy reports (src/lib/server/db/heavy.ts) on both back ends: they run at most the lane's
// concurrency at a time (2 on PostgreSQL, 1 on PGlite's single connection), a report that cannot
// start in time is a 503 naming it, and on PostgreSQL one that runs past its statement timeout is
// cancelled by the server and answered 504 naming it, as JSON, never a 500. A user's interactive
// statements carry their own timeout.
import { expect, it } from 'vitest';
import { ApiError } from '../../src/lib/domain/apierror';
import { asUser, systemOf } from '../../src/lib/server/access/userdb';
import { heavyLoad, heavyReport, INTERACTIVE_TIMEOUT_MS, REPORTS } from '../../src/lib/server/db/heavy';
import { toFailure } from '../../src/lib/server/http/errors';
import { jsonFailure } from '../../src/lib/server/http/respond';
import { describeBackends } from './helpers/backends';

describeBackends('heavy reports', (getDb, backend) => {
	it('a report that also reads through the server’s own connection (the hotspot grid set) finishes: no wait on itself', async () => {
		const db = asUser(getDb(), { id: 1, role: 'admin' });
		const run = heavyReport(db, REPORTS.hotspots, async (q) => {
			const [{ mine }] = await q.sql<{ mine: number }>`SELECT 1 AS mine`;
			const [{ server }] = await systemOf(q).sql<{ server: number }>`SELECT 2 AS server`;
			return mine + server;
		});
		const stuck = new Promise((r) => setTimeout(() => r('stuck'), 20_000));
		expect(await Promise.race([run, stuck])).toBe(3);
	});
	it('run at most the lane’s concurrency at a time; the others wait their turn', async () => {
		const db = getDb();
		const lanes = backend.kind === 'pglite' ? 1 : 2;
		const release: (() => void)[] = [];
		let running = 0, most = 0;
		const report = () => heavyReport(db, REPORTS.kpi, async (q) => {
			running++;
			most = Math.max(most, running);
			const [{ one }] = await q.sql<{ one: number }>`SELECT 1 AS one`;
			await new Promise<void>((r) => release.push(r));
			running--;
			return one;
		});
		const all = Promise.all([report(), report(), report()]);
		await expect.poll(() => release.length).toBe(lanes);
		expect(heavyLoad(db.kind)).toEqual({ running: lanes, waiting: 3 - lanes });
		// let them finish one by one: each frees its lane for the next
		for (let done = 0; done < 3; done++) {
			await expect.poll(() => release.length).toBeGreaterThan(0);
			release.shift()!();
		}
		expect(await all).toEqual([1, 1, 1]);
		expect(most).toBe(lanes);
		expect(heavyLoad(db.kind)).toEqual({ running: 0, waiting: 0 });
	});

	it('a report that cannot start in time is told 503 naming it; the lane is free afterwards', async () => {
		const db = getDb();
		const lanes = backend.kind === 'pglite' ? 1 : 2;
		let open!: () => void;
		const gate = new Promise<void>((r) => (open = r));
		const holders = Array.from({ length: lanes }, () => heavyReport(db, REPORTS.hotspots, () => gate));
		const e = await heavyReport(db, REPORTS.export, async () => 'never', { waitMs: 100 }).catch((x) => x);
		expect(e).toBeInstanceOf(ApiError);
		expect([e.status, e.code, e.field]).toEqual([503, 'report_busy', 'export']);
		expect(e.message).toContain('导出');
		open();
		await Promise.all(holders);
		expect(await heavyReport(db, REPORTS.export, async (q) => (await q.sql`SELECT 2 AS two`)[0].two)).toBe(2);
	});

	it.skipIf(backend.kind === 'pglite')('on PostgreSQL a statement past the report’s timeout is cancelled: 504 JSON naming the report', async () => {
		const db = getDb();
		const started = Date.now();
		const e = await heavyReport(db, REPORTS.kpi, (q) => q.sql`SELECT pg_sleep(5)`, { timeoutMs: 200 }).catch((x) => x);
		expect(Date.now() - started).toBeLessThan(4000);
		expect(e).toBeInstanceOf(ApiError);
		expect([e.status, e.code, e.field]).toEqual([504, 'report_timeout', 'kpi']);
		const res = jsonFailure(toFailure(e, 'test'));
		expect(res.status).toBe(504);
		expect(await res.json()).toEqual({ error: { code: 'report_timeout', message: expect.stringContaining('考核指标统计超时'), field: 'kpi' } });
		// the lane and the connection are usable again
		expect(await heavyReport(db, REPORTS.kpi, async (q) => (await q.sql`SELECT 3 AS three`)[0].three)).toBe(3);
	});

	it.skipIf(backend.kind === 'pglite')('on PostgreSQL a user’s interactive statements carry the interactive timeout, a heavy report its own', async () => {
		const db = getDb();
		// a signed-out visitor's transaction is enough: every user's starts the same way (enterUser)
		const as = asUser(db, null);
		const setting = async (q: { sql: typeof as.sql }) => Number((await q.sql<{ ms: string }>`SELECT setting AS ms FROM pg_settings WHERE name = 'statement_timeout'`)[0].ms);
		expect(await setting(as)).toBe(INTERACTIVE_TIMEOUT_MS);
		expect(INTERACTIVE_TIMEOUT_MS).toBeGreaterThan(0);
		expect(await heavyReport(as, REPORTS.kpi, (q) => setting(q), { timeoutMs: 45_000 })).toBe(45_000);
		// a 57014 outside a report is a 504 too, not a 500
		const e = await as.transaction(async (tx) => {
			await tx.sql`SELECT set_config('statement_timeout', '100', true)`;
			await tx.sql`SELECT pg_sleep(2)`;
		}).catch((x) => x);
		expect(toFailure(e, 'test').error.status).toBe(504);
	});
});
