// The app as `npm start` runs it (scripts/start.mjs → scripts/serve.mjs, embedded PGlite in a temp
// DATA_DIR), stopped with SIGTERM while 100 reports are being written: it must exit 0 within
// SHUTDOWN_TIMEOUT, leave no server process behind, and on the next start every report that was
// answered 2xx must be there, each with its first history event (a write is whole or absent).
// The second start runs with TRUST_PROXY=1 and checks that a proxy's X-Forwarded-* then count;
// it is ended by SIGKILL to `npm start`, after which the server must go by itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SHUTDOWN_TIMEOUT_S = 10;
const WRITES = 100;
const SLOW = WRITES; // of WRITES: bodies sent in two halves, the second after SIGTERM (all of them: truly in flight)
const USER = 'wg430199001001001';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'grid-shutdown-'));
const runId = Date.now().toString(36);
const tag = `停机${runId}`;

interface App { proc: ChildProcess; base: string; port: number; log: () => string; serverPid: () => number | null }

const freePort = () => new Promise<number>((resolve, reject) => {
	const s = createServer().listen(0, '127.0.0.1', () => {
		const { port } = s.address() as { port: number };
		s.close(() => resolve(port));
	}).on('error', reject);
});

/** `node scripts/start.mjs` with only the settings a user would give, waited on until /api/status says ready. */
async function start(extra: Record<string, string> = {}): Promise<App> {
	const port = await freePort();
	const inherited: Record<string, string | undefined> = { ...process.env };
	for (const name of ['DATABASE_URL', 'ORIGIN', 'TRUST_PROXY', 'TLS_CERT_FILE', 'TLS_KEY_FILE', 'PROTOCOL_HEADER', 'HOST_HEADER', 'ADDRESS_HEADER', 'SHUTDOWN_TIMEOUT']) delete inherited[name];
	const env = { ...inherited, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir,
		// database size and the report limit (60 per user in 10 minutes) are settings, not code paths
		SEED_HOUSEHOLDS: '2000', REPORT_RATE_LIMIT: '1000', REPORT_RATE_LIMIT_IP: '1000', ...extra };
	const proc = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let log = '';
	proc.stdout!.on('data', (b) => (log += b));
	proc.stderr!.on('data', (b) => (log += b));
	const base = `http://127.0.0.1:${port}`;
	const app: App = { proc, base, port, log: () => log, serverPid: () => Number(/\(pid (\d+)\)/.exec(log)?.[1]) || null };
	for (const until = Date.now() + 240_000; Date.now() < until; ) {
		if (proc.exitCode !== null) throw new Error(`npm start exited ${proc.exitCode}:\n${log.slice(-3000)}`);
		const s = await fetch(`${base}/api/status`).then((r) => r.json()).catch(() => null);
		if (s?.ready) return app;
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`not ready in 240 s:\n${log.slice(-3000)}`);
}

const exited = (p: ChildProcess) => new Promise<number | null>((resolve) => (p.exitCode !== null ? resolve(p.exitCode) : p.once('exit', (code) => resolve(code))));
const alive = (pid: number | null) => {
	if (!pid) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};
const portOpen = (port: number) => new Promise<boolean>((resolve) => {
	const s = connect(port, '127.0.0.1').once('connect', () => (s.destroy(), resolve(true))).once('error', () => resolve(false));
});

async function signIn(base: string, headers: Record<string, string> = {}) {
	const res = await fetch(`${base}/login/demo?user=${USER}&redirect=/`, { redirect: 'manual', headers });
	const setCookie = res.headers.get('set-cookie') ?? '';
	return { cookie: setCookie.split(';')[0], setCookie, hsts: res.headers.get('strict-transport-security') };
}

/** A point inside the user's own grid (Voronoi cells are convex: the mean of the corners is inside). */
async function ownPoint(base: string, cookie: string) {
	const grids = await (await fetch(`${base}/api/map/grids`, { headers: { cookie } })).json();
	const ring: [number, number][] = grids.features.find((f: any) => f.properties.code === USER.slice(2)).geometry.coordinates[0][0].slice(0, -1);
	return { lon: ring.reduce((s, p) => s + p[0], 0) / ring.length, lat: ring.reduce((s, p) => s + p[1], 0) / ring.length };
}

/**
 * A report whose body arrives in two halves: the server has taken the request in and waits on its
 * body when SIGTERM comes (truly in flight); `finish()` sends the rest.
 */
function slowWrite(base: string, cookie: string, body: string, key: string) {
	const bytes = Buffer.from(body);
	const req = request(`${base}/api/requests`, {
		method: 'POST',
		headers: { cookie, 'content-type': 'application/json', 'content-length': bytes.length, 'idempotency-key': key }
	});
	const answer = new Promise<{ status: number; id?: number }>((resolve) => {
		req.on('response', (res) => {
			let text = '';
			res.on('data', (c) => (text += c)).on('end', () => resolve({ status: res.statusCode!, id: JSON.parse(text || '{}').id }));
		});
		req.on('error', () => resolve({ status: 0 }));
	});
	req.write(bytes.subarray(0, 10));
	return { answer, finish: () => req.end(bytes.subarray(10)) };
}

let second: App | null = null;
afterAll(() => {
	second?.proc.kill('SIGKILL');
	rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start: SIGTERM with 100 writes in flight', () => {
	const acked = new Map<number, string>(); // request id → description, for every 2xx
	let answers: (number | string)[] = [];

	it('exits 0 within SHUTDOWN_TIMEOUT, ends the live stream at once and leaves no server behind', async () => {
		const app = await start();
		const { cookie } = await signIn(app.base);
		const at = await ownPoint(app.base, cookie);
		// a live stream (the big screen's) never ends by itself: it must not hold the shutdown
		const live = await fetch(`${app.base}/api/live`, { headers: { cookie } });
		const streamEnded = live.body ? (async () => { for await (const _ of live.body!) { /* drain */ } return Date.now(); })().catch(() => Date.now()) : Promise.resolve(0);

		const report = (description: string) => JSON.stringify({ categoryCode: 'property.elevator', description, lon: at.lon, lat: at.lat });
		const slow = Array.from({ length: SLOW }, (_, i) => ({ description: `${tag}#slow${i} 楼道灯不亮`, ...slowWrite(app.base, cookie, report(`${tag}#slow${i} 楼道灯不亮`), `shutdown-${runId}-slow${i}`) }));
		await new Promise((r) => setTimeout(r, 1500)); // the server, idle yet, takes every slow one in
		const writes = Array.from({ length: WRITES - SLOW }, async (_, i) => {
			const description = `${tag}#${i} 楼道灯不亮`;
			try {
				const res = await fetch(`${app.base}/api/requests`, {
					method: 'POST',
					headers: { cookie, 'content-type': 'application/json', 'idempotency-key': `shutdown-${runId}-${i}` },
					body: report(description)
				});
				const body = await res.json().catch(() => null);
				if (res.ok) acked.set(body.id, description);
				return res.status;
			} catch (e) {
				return String((e as Error).cause ?? e); // refused or reset: never answered, so promised nothing
			}
		});
		// SIGTERM once the server is busy with them: PGlite runs on the server's own thread, so what
		// it has taken in by then is what is in flight when the signal is handled (it says how many)
		await new Promise((r) => setTimeout(r, 150));
		const serverPid = app.serverPid();
		const t0 = Date.now();
		app.proc.kill('SIGTERM');
		// the slow ones send the rest of their bodies once the server is stopping (its live stream ended)
		const streamEndedAt = await streamEnded;
		slow.forEach((w) => w.finish());
		const code = await exited(app.proc);
		const ms = Date.now() - t0;
		answers = await Promise.all(writes);
		for (const w of slow) {
			const { status, id } = await w.answer;
			answers.push(status || 'slow write not answered');
			if (status === 201 && id) acked.set(id, w.description);
		}
		const streamMs = streamEndedAt - t0;
		const count = (pred: (a: number | string) => boolean) => answers.filter(pred).length;
		// the server's own count at the signal, less the live stream
		const inFlight = Number(/(\d+) 个进行中的请求/.exec(app.log())?.[1]) - 1;
		console.log(`SIGTERM ${WRITES} writes fired, ${inFlight} of them in flight at the server: exit 0 after ${ms} ms; live stream ended after ${streamMs} ms; ` +
			`${count((a) => typeof a === 'number' && a < 300)} answered 2xx, ${count((a) => typeof a === 'string')} never accepted (${[...new Set(answers.filter((a) => typeof a === 'string'))].join(', ')}), ` +
			`${count((a) => typeof a === 'number' && a >= 300)} other statuses`);
		expect(code).toBe(0);
		expect(ms).toBeLessThan((SHUTDOWN_TIMEOUT_S + 5) * 1000);
		expect(streamMs).toBeLessThan(ms + 1000);
		expect(live.status).toBe(200);
		expect(serverPid).not.toBeNull();
		await new Promise((r) => setTimeout(r, 200));
		expect(alive(serverPid)).toBe(false);
		expect(await portOpen(app.port)).toBe(false);
		expect(app.log()).toMatch(/已停止，用时 \d+ ms/);
		// no answer may be a server error (a database closed under a request would be a 500)
		expect(answers.filter((a) => typeof a === 'number' && a >= 500)).toEqual([]);
		// every write in flight when the signal came was let finish (those done before it count too)
		expect(inFlight).toBeGreaterThanOrEqual(SLOW);
		expect(acked.size).toBeGreaterThanOrEqual(inFlight);
		expect(answers.slice(-SLOW)).toEqual(Array(SLOW).fill(201));
		// and the ones that got no answer were never taken in: the listener was closed on them
		expect(answers.filter((a) => typeof a === 'string' && !/ECONNRESET|ECONNREFUSED|other side closed|SocketError/.test(a))).toEqual([]);
	}, 300_000);

	it('after a restart every acknowledged report is there, whole; proxies count only with TRUST_PROXY', async () => {
		second = await start({ TRUST_PROXY: '1', SHUTDOWN_TIMEOUT: '2' });
		const { cookie } = await signIn(second.base);
		const list = await (await fetch(`${second.base}/api/requests?from=2000-01-01&limit=300&q=${encodeURIComponent(tag)}`, { headers: { cookie } })).json();
		const stored = new Map<number, string>(list.rows.map((r: any) => [r.id, r.title]));
		console.log(`after restart: ${acked.size} acknowledged, ${stored.size} stored with the tag`);
		for (const [id, description] of acked) expect(stored.get(id), `request ${id}`).toBe(description.slice(0, 30));
		// whole: each stored report has its 'report' history event, written in the same transaction
		for (const id of stored.keys()) {
			const one = await (await fetch(`${second.base}/api/requests/${id}`, { headers: { cookie } })).json();
			expect(one.events?.[0]?.action, `request ${id}`).toBe('report');
		}

		// TRUST_PROXY=1: the proxy's scheme and host count (Secure cookie, HSTS, its origin same-site)
		const viaProxy = await signIn(second.base, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'grid.example.cn' });
		expect(viaProxy.setCookie).toMatch(/;\s*Secure/i);
		expect(viaProxy.hsts).toMatch(/max-age=/);
		const post = (origin: string) => fetch(`${second!.base}/api/requests`, {
			method: 'POST', body: '{}',
			headers: { cookie, origin, 'content-type': 'application/json', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'grid.example.cn' }
		});
		expect((await post('https://grid.example.cn')).status).toBe(400); // past the cross-site check, refused for its empty body
		expect((await post('http://evil.example')).status).toBe(403);

		// `npm start` killed outright: its server notices (the IPC channel closes) and stops by itself,
		// cutting a request that never finishes after SHUTDOWN_TIMEOUT (2 s here); that write is not stored
		const at = await ownPoint(second.base, cookie);
		const stuckText = `${tag}#stuck 楼道灯不亮`;
		const stuck = slowWrite(second.base, cookie, JSON.stringify({ categoryCode: 'property.elevator', description: stuckText, lon: at.lon, lat: at.lat }), `shutdown-${runId}-stuck`);
		await new Promise((r) => setTimeout(r, 300));
		const serverPid = second.serverPid();
		const t0 = Date.now();
		second.proc.kill('SIGKILL');
		for (const until = Date.now() + 15_000; alive(serverPid) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
		const ms = Date.now() - t0;
		console.log(`npm start SIGKILLed: its server gone after ${ms} ms with one request stuck (SHUTDOWN_TIMEOUT=2)`);
		expect(alive(serverPid)).toBe(false);
		expect(ms).toBeGreaterThanOrEqual(1900);
		expect(ms).toBeLessThan(6000);
		expect(await portOpen(second.port)).toBe(false);
		expect((await stuck.answer).status).toBe(0);
		second = await start();
		const again = await signIn(second.base);
		const found = await (await fetch(`${second.base}/api/requests?from=2000-01-01&limit=300&q=${encodeURIComponent(tag)}`, { headers: { cookie: again.cookie } })).json();
		expect(found.rows.map((r: any) => r.title)).not.toContain(stuckText.slice(0, 30));
		expect(found.rows.length).toBe(stored.size);
		second.proc.kill('SIGTERM');
		expect(await exited(second.proc)).toBe(0);
	}, 300_000);
});
