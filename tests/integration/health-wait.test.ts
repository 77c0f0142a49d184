// The probe endpoints of a process whose PostgreSQL cannot be reached at boot (as
// database-wait.test.ts: nothing listens on the port used): live says the process runs, ready and
// /api/status say 503 with what they wait for. Recovery once PostgreSQL appears is in
// tests/faults/run.mjs (it needs a server to start).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from './helpers/ports';


let previous: string | undefined;
let routes: {
	live: typeof import('../../src/routes/api/health/live/+server');
	ready: typeof import('../../src/routes/api/health/ready/+server');
	status: typeof import('../../src/routes/api/status/+server');
};
const event = (path: string) => ({ request: new Request(`http://grid.test${path}`), url: new URL(`http://grid.test${path}`), locals: { user: null } }) as any;

beforeAll(async () => {
	previous = process.env.DATABASE_URL;
	process.env.DATABASE_URL = `postgres://grid:s3cret-pw@127.0.0.1:${await freePort()}/grid`;
	routes = {
		live: await import('../../src/routes/api/health/live/+server'),
		ready: await import('../../src/routes/api/health/ready/+server'),
		status: await import('../../src/routes/api/status/+server')
	};
});
afterAll(() => {
	if (previous === undefined) delete process.env.DATABASE_URL;
	else process.env.DATABASE_URL = previous;
});

it('before and after the first failed try: ready and /api/status answer 503, live 200', async () => {
	// the first poll starts the opening: nothing has answered yet
	const first = await routes.ready.GET(event('/api/health/ready'));
	expect(first.status).toBe(503);
	expect((await first.json()).reason).toBe('waiting_database');
	const status0 = await routes.status.GET(event('/api/status'));
	expect(status0.status).toBe(503);
	expect(await status0.json()).toMatchObject({ ready: false, waitingFor: 'database' });
	await new Promise((r) => setTimeout(r, 1500)); // tries at +0 s and +0.5 s
	const ready = await routes.ready.GET(event('/api/health/ready'));
	const body = await ready.json();
	expect(ready.status).toBe(503);
	expect(ready.headers.get('cache-control')).toBe('no-store');
	expect(body).toMatchObject({ status: 'not_ready', reason: 'waiting_database', errorCode: 'ECONNREFUSED' });
	expect(body.attempts).toBeGreaterThanOrEqual(1);
	expect(JSON.stringify(body)).not.toContain('s3cret-pw');
	expect(JSON.stringify(body)).not.toContain('127.0.0.1');
	const status = await routes.status.GET(event('/api/status'));
	expect(status.status).toBe(503);
	expect(await status.json()).toMatchObject({ phase: 'waiting_database', ready: false, waitingFor: 'database' });
	const live = routes.live.GET();
	expect(live.status).toBe(200);
	expect(await live.json()).toMatchObject({ status: 'live' });
});
