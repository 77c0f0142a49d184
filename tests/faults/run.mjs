#!/usr/bin/env node
// Database faults against the real app server and a private PostgreSQL 15 cluster (cluster.mjs):
//
//  1. restart under load: the app serves signed-in reads and writes while PostgreSQL is restarted
//     four times (-m fast, fast, immediate, fast). The process must live through every one, answer
//     errors only as 503 database_unavailable, stop answering errors within 10 s of PostgreSQL being
//     back (pg_ctl -w returns once it accepts connections), and its live feed (LISTEN) must deliver
//     an event published after the last restart.
//  2. down at boot: the app starts while PostgreSQL is stopped; a page answers a Chinese 503 page,
//     /api/status a 503 naming the wait; PostgreSQL starts; the same process migrates, seeds and
//     turns ready by itself; /api/health/ready follows it (503, 200), and says 503 again when
//     PostgreSQL is stopped once more and 200 when it is back.
//
// Prints the figures as "[fault] …" lines and "N passed, N failed" last. Exit 0 passed, 1 failed,
// 77 NOT RUN (the PostgreSQL 15 binaries are missing; a line "NOT RUN: …" gives the reason). With
// TEST_DATABASE_URL set (CI, where PostgreSQL is meant to be installed) missing binaries FAIL.
//
// Usage: node tests/faults/run.mjs   (builds the app first when build/ is older than the sources)
// Settings: FAULT_SERVER_CMD (default node scripts/start.mjs), FAULT_LOG (server log file,
// default test-results/faults/server-*.log).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCluster, unavailableReason } from './cluster.mjs';
import { buildIfNeeded, freePort } from '../support/app.mjs';

/** The release the app must report (package.json, put into the build by vite.config.ts). */
const PACKAGE_VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);
const NOT_RUN = 77;
const RESTARTS = ['fast', 'fast', 'immediate', 'fast'];
const RECOVERY_LIMIT_S = 10;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => (ms / 1000).toFixed(1);

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
	ok ? passed++ : failed++;
}

const why = unavailableReason();
if (why) {
	if (process.env.TEST_DATABASE_URL) {
		console.log(`FAIL database faults: TEST_DATABASE_URL is set, so PostgreSQL is meant to be here, but ${why}`);
		console.log('0 passed, 1 failed');
		process.exit(1);
	}
	console.log(`NOT RUN: database faults — ${why}`);
	console.log('0 passed, 0 failed');
	process.exit(NOT_RUN);
}

const servers = [];
let cluster;
const cleanup = async () => {
	await Promise.all(servers.map((s) => stop(s)));
	cluster?.destroy();
};
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) process.on(signal, () => cleanup().finally(() => process.exit(code)));

try {
	if (!process.env.FAULT_SERVER_CMD) buildIfNeeded();
	cluster = await createCluster();
	console.log(`private PostgreSQL cluster on port ${cluster.port} (${cluster.dir})`);
	await restartUnderLoad();
	await downAtBoot();
} catch (e) {
	check('fault suite ran to the end', false, e.stack || e.message);
} finally {
	await cleanup();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// ── 1. restart under load ───────────────────────────────────────────────────────────────────
async function restartUnderLoad() {
	console.log('\n▶ PostgreSQL restarts while the app is under load');
	const app = await startApp('restart', cluster.url);
	await waitReady(app, 300_000);
	const cookie = await signIn(app);
	const live = await openLive(app, cookie);

	const log = []; // { at, ok, status, detail } per answer, `at` when it arrived
	let running = true;
	const worker = async (n) => {
		for (let i = 0; running; i++) {
			const write = (i + n) % 4 === 0;
			const path = write ? '/api/door-knocks' : i % 3 === 0 ? '/api/map/meta' : '/api/map/grids';
			const what = `${write ? 'POST' : 'GET'} ${path}`;
			const started = Date.now();
			try {
				const res = write
					? await fetch(`${app.base}${path}`, {
							method: 'POST',
							headers: { cookie, origin: app.base, 'content-type': 'application/json' },
							body: JSON.stringify({ householdId: 1 + ((i * 7 + n) % 2000), note: '故障测试' }),
							signal: AbortSignal.timeout(30_000)
						})
					: await fetch(`${app.base}${path}`, { headers: { cookie }, signal: AbortSignal.timeout(30_000) });
				const body = await res.text();
				const ok = res.status < 400;
				let detail = '';
				if (!ok) {
					const code = /"code":"([^"]+)"/.exec(body)?.[1];
					detail = `${res.status} ${code ?? body.slice(0, 80)}`;
				}
				log.push({ what, started, at: Date.now(), ok, status: res.status, detail });
			} catch (e) {
				log.push({ what, started, at: Date.now(), ok: false, status: 0, detail: `no answer: ${e.cause?.code ?? e.message}` });
				await sleep(100);
			}
		}
	};
	const workers = Array.from({ length: 6 }, (_, n) => worker(n));
	await sleep(3000);
	const figures = [];
	for (const [i, mode] of RESTARTS.entries()) {
		const from = log.length;
		const began = Date.now();
		await pgCtlAsync('restart', mode);
		const back = Date.now();
		const isReady = cluster.isReady();
		await sleep(12_000);
		const answers = log.slice(from);
		const errors = answers.filter((a) => !a.ok);
		const last = errors.reduce((m, a) => (!m || a.at > m.at ? a : m), null);
		const lastError = last?.at ?? 0;
		const afterBack = lastError ? Math.max(0, lastError - back) : 0;
		const okAfter = answers.filter((a) => a.ok && a.at > Math.max(lastError, back)).length;
		const kinds = [...new Set(errors.map((a) => a.detail))];
		figures.push(afterBack);
		console.log(
			`[fault] restart ${i + 1} (-m ${mode}): PostgreSQL down→back ${secs(back - began)} s; back→last error ${secs(afterBack)} s; ` +
				`${answers.length} answers, ${errors.length} errors (${kinds.join(', ') || 'none'})` +
				// which request failed last, and how long it had waited: a slow failure is a request
				// held somewhere, a late quick one a pool still failing
				(last ? `; last error: ${last.what}, asked ${secs(last.started - back)} s after back, answered in ${secs(last.at - last.started)} s` : '')
		);
		check(`restart ${i + 1} (-m ${mode}): the app process is alive`, app.alive(), app.alive() ? `pid ${app.child.pid}` : `exited ${app.child.exitCode}\n${tail(app.logPath)}`);
		check(`restart ${i + 1}: pg_isready accepts connections after pg_ctl restart -w`, isReady);
		check(`restart ${i + 1}: errors stop within ${RECOVERY_LIMIT_S} s of PostgreSQL being back`, afterBack < RECOVERY_LIMIT_S * 1000, `${secs(afterBack)} s`);
		check(`restart ${i + 1}: answers succeed again afterwards`, okAfter > 10, `${okAfter} successful answers after the last error`);
		const bad = errors.filter((a) => !(a.status === 503 && a.detail.includes('database_unavailable')));
		check(`restart ${i + 1}: every failed answer is a 503 database_unavailable`, bad.length === 0, bad.length ? bad.slice(0, 3).map((a) => a.detail).join('; ') : '');
	}
	running = false;
	await Promise.all(workers);
	console.log(`[fault] restart→last error over ${RESTARTS.length} restarts: ${figures.map((f) => `${secs(f)} s`).join(', ')} (max ${secs(Math.max(...figures))} s)`);

	// the LISTEN connection was re-established by postgres.js: an event published now reaches the stream
	const probe = `fault-${Date.now()}`;
	const publisher = await adminSql(cluster.url);
	try {
		await publisher`SELECT live_publish('checkin', jsonb_build_object('probe', ${probe}::text))`;
	} finally {
		await publisher.end({ timeout: 5 });
	}
	const deliveredIn = await live.waitFor(probe, 10_000);
	check('the live feed delivers an event published after the restarts', deliveredIn !== null, deliveredIn !== null ? `${deliveredIn} ms` : live.summary());
	live.close();
	const outages = (readFileSync(app.logPath, 'utf8').match(/数据库不可用/g) ?? []).length;
	check('the pool logged each outage once, not once per failed query', outages >= 1 && outages <= RESTARTS.length * 3, `${outages} "数据库不可用" lines for ${RESTARTS.length} restarts`);
	check('no uncaught error in the server log', !/Uncaught|TypeError: Cannot read properties of null/.test(readFileSync(app.logPath, 'utf8')));
	await stop(app);
}

// ── 2. down at boot ─────────────────────────────────────────────────────────────────────────
async function downAtBoot() {
	console.log('\n▶ The app starts while PostgreSQL is down');
	// an empty database, so that recovery also migrates and seeds it
	const admin = await adminSql(cluster.url);
	try {
		await admin.unsafe('DROP DATABASE IF EXISTS grid_boot');
		await admin.unsafe('CREATE DATABASE grid_boot');
	} finally {
		await admin.end({ timeout: 5 });
	}
	const url = cluster.url.replace(/\/postgres$/, '/grid_boot');
	await pgCtlAsync('stop', 'fast');
	const app = await startApp('boot', url);
	await sleep(3000);

	const page = await fetch(`${app.base}/login`, { redirect: 'manual' });
	const html = await page.text();
	check('a page answers 503 while the database is down', page.status === 503, `HTTP ${page.status}`);
	check('the page says so in Chinese', html.includes('数据库暂时不可用') && html.includes('正在等待数据库'), html.slice(0, 120).replace(/\s+/g, ' '));
	const apiRes = await fetch(`${app.base}/api/map/grids`, { headers: { cookie: 'gg_session=stale' } });
	const apiBody = await apiRes.json().catch(() => null);
	check('/api answers 503 database_unavailable', apiRes.status === 503 && apiBody?.error?.code === 'database_unavailable' && apiBody?.error?.message === '数据库暂时不可用，请稍后重试', `HTTP ${apiRes.status} ${JSON.stringify(apiBody)}`);
	const status = await fetch(`${app.base}/api/status`);
	const s = await status.json().catch(() => null);
	check(
		'/api/status answers 503 naming the wait',
		status.status === 503 && s?.phase === 'waiting_database' && s?.waitingFor === 'database' && s?.ready === false && s?.attempts >= 1 && typeof s?.lastError?.code === 'string' && s?.message === '正在等待数据库…',
		`HTTP ${status.status} ${JSON.stringify(s)}`
	);
	check('/api/status carries no password', !JSON.stringify(s).includes(new URL(url).password));
	const readyRes = await fetch(`${app.base}/api/health/ready`);
	const readyBody = await readyRes.json().catch(() => null);
	check('/api/health/ready answers 503 waiting_database', readyRes.status === 503 && readyBody?.status === 'not_ready' && readyBody?.reason === 'waiting_database', `HTTP ${readyRes.status} ${JSON.stringify(readyBody)}`);
	const liveRes = await fetch(`${app.base}/api/health/live`);
	check('/api/health/live answers 200 while the database is down', liveRes.status === 200, `HTTP ${liveRes.status}`);
	check('the app process is alive while it waits', app.alive());

	await pgCtlAsync('start');
	const up = Date.now();
	let leftWaiting = null;
	let readyAt = null;
	while (Date.now() - up < 120_000 && app.alive()) {
		const r = await fetch(`${app.base}/api/status`).then((x) => x.json()).catch(() => null);
		if (leftWaiting === null && r && r.phase !== 'waiting_database') leftWaiting = Date.now() - up;
		if (r?.ready) {
			readyAt = Date.now() - up;
			break;
		}
		await sleep(100);
	}
	console.log(`[fault] down at boot: PostgreSQL up→database opened ${leftWaiting === null ? '—' : `${secs(leftWaiting)} s`}; up→/api/status ready (migrated and seeded) ${readyAt === null ? '—' : `${secs(readyAt)} s`}`);
	check('the same process recovers by itself once PostgreSQL is up', readyAt !== null && app.alive(), `pid ${app.child.pid}, ${readyAt === null ? 'never ready' : `${secs(readyAt)} s`}`);
	const ready = await fetch(`${app.base}/api/status`).then((x) => x.json()).catch(() => null);
	const latest = readdirSync(new URL('../../db/migrations/', import.meta.url)).filter((f) => f.endsWith('.sql')).sort().at(-1).replace(/\.sql$/, '');
	check('/api/status, ready, names the release and the database\'s migration level', ready?.version === PACKAGE_VERSION && ready?.schema === latest, JSON.stringify({ version: ready?.version, schema: ready?.schema, expected: [PACKAGE_VERSION, latest] }));
	check('the database was opened within 6 s of PostgreSQL being up (retries ≤ 2 s apart)', leftWaiting !== null && leftWaiting < 6000, leftWaiting === null ? 'never' : `${secs(leftWaiting)} s`);
	const readyAfter = await fetch(`${app.base}/api/health/ready`);
	check('/api/health/ready answers 200 once ready', readyAfter.status === 200, `HTTP ${readyAfter.status} ${await readyAfter.text()}`);
	const cookie = await signIn(app);
	const grids = await fetch(`${app.base}/api/map/grids`, { headers: { cookie } });
	check('signed-in API answers after recovery', grids.status === 200, `HTTP ${grids.status}`);
	await pgCtlAsync('stop', 'fast');
	// the probes share one answer for a second (db/health.ts PROBE_CACHE_MS): 503 within ~1 s
	const stopped = Date.now();
	let downRes;
	while (Date.now() - stopped < 5000) {
		downRes = await fetch(`${app.base}/api/health/ready`);
		if (downRes.status === 503) break;
		await sleep(100);
	}
	const downAfter = Date.now() - stopped;
	const downBody = await downRes.json().catch(() => null);
	const statusDown = await fetch(`${app.base}/api/status`);
	console.log(`[fault] ready, then PostgreSQL stopped: /api/health/ready ${downRes.status} after ${secs(downAfter)} s ${JSON.stringify(downBody)}; /api/status ${statusDown.status}`);
	check('/api/health/ready answers 503 database_unavailable within 2 s of PostgreSQL stopping', downRes.status === 503 && downBody?.reason === 'database_unavailable' && downAfter < 2000, `HTTP ${downRes.status} after ${secs(downAfter)} s ${JSON.stringify(downBody)}`);
	check('/api/status answers 503 once PostgreSQL stops', statusDown.status === 503, `HTTP ${statusDown.status}`);
	await pgCtlAsync('start');
	let backAt = null;
	const back = Date.now();
	while (Date.now() - back < 30_000) {
		if ((await fetch(`${app.base}/api/health/ready`).then((r) => r.status, () => 0)) === 200) {
			backAt = Date.now() - back;
			break;
		}
		await sleep(100);
	}
	console.log(`[fault] PostgreSQL started again: /api/health/ready 200 after ${backAt === null ? '—' : `${secs(backAt)} s`}`);
	check('/api/health/ready answers 200 again once PostgreSQL is back', backAt !== null, backAt === null ? 'never within 30 s' : `${secs(backAt)} s`);
	await stop(app);
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────
async function adminSql(url) {
	const { default: postgres } = await import('postgres');
	return postgres(url, { max: 1, onnotice: () => {} });
}

/** pg_ctl restart/stop/start without blocking this process (the load keeps running meanwhile). */
function pgCtlAsync(action, mode) {
	return new Promise((resolve, reject) => {
		const method = { restart: 'restartArgs', stop: 'stopArgs', start: 'startArgs' }[action];
		const [cmd, args] = cluster[method](mode);
		const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: os.tmpdir() });
		let out = '';
		child.stdout.on('data', (c) => (out += c));
		child.stderr.on('data', (c) => (out += c));
		child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl ${action} failed (${code}): ${out}`))));
	});
}

async function startApp(name, databaseUrl) {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	mkdirSync('test-results/faults', { recursive: true });
	const logPath = `test-results/faults/server-${name}.log`;
	const log = createWriteStream(logPath);
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'grid-fault-data-'));
	// as a user starts it: port, database and its size only; never an address setting (ORIGIN,
	// TRUST_PROXY, *_HEADER) inherited from the shell, which no user of `npm start` gives
	const inherited = { ...process.env };
	for (const name of ['ORIGIN', 'TRUST_PROXY', 'TLS_CERT_FILE', 'TLS_KEY_FILE', 'PROTOCOL_HEADER', 'HOST_HEADER', 'ADDRESS_HEADER', 'DATABASE_OWNER_URL']) delete inherited[name];
	const env = { ...inherited, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SEED_HOUSEHOLDS: '2000' };
	const command = process.env.FAULT_SERVER_CMD || 'node scripts/start.mjs';
	const child = spawn(command, { shell: true, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout.pipe(log);
	child.stderr.pipe(log);
	const app = { base, child, logPath, dataDir, alive: () => child.exitCode === null && child.signalCode === null };
	servers.push(app);
	console.log(`app "${name}": ${command} on ${base}, log ${logPath}`);
	const until = Date.now() + 180_000;
	while (Date.now() < until) {
		if (!app.alive()) throw new Error(`the app exited (${child.exitCode}) before answering:\n${tail(logPath)}`);
		if (await fetch(`${base}/api/status`).then(() => true, () => false)) return app;
		await sleep(300);
	}
	throw new Error(`the app did not answer within 180 s:\n${tail(logPath)}`);
}

async function waitReady(app, ms) {
	const until = Date.now() + ms;
	while (Date.now() < until) {
		const s = await fetch(`${app.base}/api/status`).then((r) => r.json()).catch(() => null);
		if (s?.ready) return;
		if (!app.alive()) throw new Error(`the app exited before it was ready:\n${tail(app.logPath)}`);
		await sleep(500);
	}
	throw new Error(`not ready after ${secs(ms)} s:\n${tail(app.logPath)}`);
}

/** GET /login/demo?user=admin, the redirect not followed: the gg_session cookie it sets. */
async function signIn(app) {
	const res = await fetch(`${app.base}/login/demo?user=admin`, { redirect: 'manual' });
	const cookie = /gg_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
	if (!cookie) throw new Error(`demo sign-in gave no session cookie (HTTP ${res.status}): ${await res.text()}`);
	return cookie;
}

/** The live SSE stream as `cookie`: waitFor(text) resolves to the ms it took, or null. */
async function openLive(app, cookie) {
	const controller = new AbortController();
	const res = await fetch(`${app.base}/api/live?ping=5000`, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
	if (res.status !== 200) throw new Error(`/api/live answered ${res.status}`);
	let text = '';
	let ended = false;
	(async () => {
		const dec = new TextDecoder();
		try {
			for await (const chunk of res.body) text += dec.decode(chunk, { stream: true });
		} catch {
			// aborted by close()
		}
		ended = true;
	})();
	return {
		async waitFor(needle, ms) {
			const started = Date.now();
			while (Date.now() - started < ms) {
				if (text.includes(needle)) return Date.now() - started;
				await sleep(100);
			}
			return null;
		},
		summary: () => `stream ${ended ? 'ended' : 'open'}, ${text.length} bytes received`,
		close: () => controller.abort()
	};
}

function tail(file, lines = 30) {
	try {
		return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

async function stop(app) {
	if (!app?.child.pid) return;
	const alive = () => {
		try {
			process.kill(-app.child.pid, 0);
			return true;
		} catch {
			return false;
		}
	};
	if (alive()) process.kill(-app.child.pid, 'SIGTERM');
	for (const until = Date.now() + 8000; Date.now() < until && alive(); ) await sleep(100);
	if (alive()) process.kill(-app.child.pid, 'SIGKILL');
	rmSync(app.dataDir, { recursive: true, force: true });
	servers.splice(servers.indexOf(app), 1);
}
