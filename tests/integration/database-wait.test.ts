// The process-wide database when PostgreSQL cannot be reached at boot: no failure kept for the
// life of the process, but a wait that says what it waits for and keeps trying. Nothing listens on
// the port used here, so this runs on any machine; recovery once PostgreSQL appears is in
// tests/faults/run.mjs (it needs a server to start).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from './helpers/ports';


let previous: string | undefined;
let database: typeof import('../../src/lib/server/db/database');
beforeAll(async () => {
	previous = process.env.DATABASE_URL;
	process.env.DATABASE_URL = `postgres://grid:s3cret-pw@127.0.0.1:${await freePort()}/grid`;
	database = await import('../../src/lib/server/db/database');
});
afterAll(() => {
	if (previous === undefined) delete process.env.DATABASE_URL;
	else process.env.DATABASE_URL = previous;
});

it('ready() refuses at once with DatabaseUnavailableError, and the opening keeps retrying', async () => {
	const started = Date.now();
	await expect(database.ready()).rejects.toBeInstanceOf(database.DatabaseUnavailableError);
	expect(Date.now() - started).toBeLessThan(3000);
	expect(database.progress()).toMatchObject({ phase: 'waiting_database', message: '正在等待数据库…' });
	const first = database.waiting()!;
	expect(first.lastError.code).toBe('ECONNREFUSED');
	await new Promise((r) => setTimeout(r, 2000)); // tries at +0.5 s and +1.5 s
	expect(database.waiting()!.attempts).toBeGreaterThanOrEqual(first.attempts + 2);
	// a later call answers without waiting for the next try
	const again = Date.now();
	await expect(database.ready()).rejects.toThrow('数据库暂时不可用，请稍后重试');
	expect(Date.now() - again).toBeLessThan(200);
	expect(database.current()).toBeNull();
});

it('the wait names no password', () => {
	expect(JSON.stringify(database.waiting())).not.toContain('s3cret-pw');
});

it('tries back off to at most 5 s apart', () => {
	expect([1, 2, 3, 4, 5, 20].map(database.retryDelayMs)).toEqual([500, 1000, 2000, 2000, 2000, 2000]);
});
