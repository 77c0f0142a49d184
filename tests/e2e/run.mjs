#!/usr/bin/env node
// Browser-suite runner: builds the app when the build is missing or older than its sources,
// starts it on a free port with an empty PGlite data dir, then runs every tests/e2e/*.e2e.mjs
// (sorted) as its own `node` process, and prints "N passed, N failed".
//
// Usage: node tests/e2e/run.mjs [file.e2e.mjs …]
//
// The app is started as README says (node scripts/start.mjs, i.e. npm start) with nothing but
// PORT, HOST (to bind to loopback) and DATA_DIR, and is reached at http://grid.intranet:<port>:
// plain http at a host name, as on an intranet, not a secure context, no ORIGIN.
//
// What an e2e file gets in its environment:
//   BASE_URL        the running app, e.g. http://grid.intranet:41234 (no trailing slash)
//   CHROMIUM_PATH   the browser to launch with playwright-core's chromium.launch({ executablePath })
//   CHROMIUM_ARGS   the flags that make headless software WebGL work here and map grid.intranet to
//                   127.0.0.1, space-separated (split before each "--": a value may hold spaces;
//                   harness.mjs does this and gives Node the same host mapping)
//   E2E_ARTIFACTS   a folder for its screenshots and traces (test-results/e2e/<file name>/)
// It passes by exiting 0 and fails by exiting non-zero; it should print what it checked. The app may
// still be seeding its demo district when the file starts: wait for what the page shows.
//
// Settings (environment):
//   E2E_BASE_URL          test an app that is already running: no build, no server
//   E2E_SERVER_CMD        shell command that starts the app (default: node scripts/start.mjs when
//                         that file exists, else node build/index.js); it gets PORT, HOST, DATA_DIR
//   E2E_DATA_DIR          data dir for the app (default: a fresh temporary one, removed afterwards)
//   E2E_START_TIMEOUT_MS  how long the app may take to answer HTTP at all (default 180000 ms)
//   E2E_TIMEOUT_MS        how long one e2e file may run (default 300000 ms)
//
// Exit status: 0 all passed; 1 something failed (build, server, or a file); 77 nothing was run
// (no e2e files or no Chromium), after a line starting "NOT RUN:".
// A file that exits 77 could not run here (a tool it drives is missing, e.g. GDAL's ogrinfo): it
// counts neither as passed nor failed, and is named in a line "NOT RUN: e2e <name> — <its last line>".
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded, freePort } from '../support/app.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
process.chdir(root);

const NOT_RUN = 77;
/** The name the browser reaches the app by (Chromium maps it to 127.0.0.1). */
const HOST_NAME = 'grid.intranet';
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--use-angle=swiftshader',
	'--enable-unsafe-swiftshader',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic',
	`--host-resolver-rules=MAP ${HOST_NAME} 127.0.0.1`
];
const startTimeout = Number(process.env.E2E_START_TIMEOUT_MS ?? 180_000);
const fileTimeout = Number(process.env.E2E_TIMEOUT_MS ?? 300_000);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function notRun(why) {
	console.log(`NOT RUN: ${why}`);
	console.log('0 passed, 0 failed');
	process.exit(NOT_RUN);
}

const files = (process.argv.length > 2 ? process.argv.slice(2) : discover()).map((f) => path.resolve(f));
if (files.length === 0) notRun('browser suite — no tests/e2e/*.e2e.mjs files exist yet, so there is nothing to run');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) notRun(`browser suite — Chromium not found at ${chromium} (apt-get install chromium)`);
console.log(`${files.length} e2e file(s): ${files.map((f) => path.relative(root, f)).join(', ')}`);

let server;
let current; // the e2e file now running
let dataDir;
let failed = 0;
let passed = 0;
const notRunFiles = [];
const cleanup = async () => {
	await Promise.all([stop(current), stop(server)]);
	if (dataDir && !process.env.E2E_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
};
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
	process.on(signal, () => cleanup().finally(() => process.exit(code)));
}

try {
	const baseUrl = process.env.E2E_BASE_URL?.replace(/\/$/, '') || (await startApp());
	for (const file of files) {
		const outcome = await runFile(file, baseUrl);
		if (outcome === 'passed') passed++;
		else if (outcome === 'failed') failed++;
		else notRunFiles.push(outcome);
	}
} catch (err) {
	console.log(`FAILED before the e2e files could run: ${err.message}`);
	failed = files.length - passed - notRunFiles.length;
} finally {
	await cleanup();
}
for (const n of notRunFiles) console.log(`NOT RUN: e2e ${n.name} — ${n.why}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : passed === 0 && notRunFiles.length ? NOT_RUN : 0);

// ────────────────────────────────────────────────────────────────────────────────────────────

function discover() {
	return readdirSync(here)
		.filter((f) => f.endsWith('.e2e.mjs'))
		.sort()
		.map((f) => path.join(here, f));
}

async function startApp() {
	const command =
		process.env.E2E_SERVER_CMD || (existsSync('scripts/start.mjs') ? 'node scripts/start.mjs' : 'node build/index.js');
	if (!process.env.E2E_SERVER_CMD) buildIfNeeded();
	const port = await freePort();
	const baseUrl = `http://${HOST_NAME}:${port}`;
	const local = `http://127.0.0.1:${port}`;
	dataDir = process.env.E2E_DATA_DIR || mkdtempSync(path.join(os.tmpdir(), 'grid-e2e-data-'));
	mkdirSync('test-results/e2e', { recursive: true });
	const logPath = 'test-results/e2e/server.log';
	const log = createWriteStream(logPath);
	const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir };
	// the app under test uses its own embedded PGlite, and is started as a user starts it: no
	// public-address settings inherited from this shell
	for (const name of ['DATABASE_URL', 'ORIGIN', 'TRUST_PROXY', 'PROTOCOL_HEADER', 'HOST_HEADER', 'ADDRESS_HEADER']) delete env[name];
	console.log(`starting the app: ${command} (port ${port}, DATA_DIR ${dataDir}, log ${logPath})`);
	server = spawn(command, { shell: true, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	server.stdout.pipe(log);
	server.stderr.pipe(log);
	const started = Date.now();
	while (Date.now() - started < startTimeout) {
		if (server.exitCode !== null) throw new Error(`the app exited with ${server.exitCode} before answering:\n${tail(logPath)}`);
		try {
			const res = await fetch(local + '/', { signal: AbortSignal.timeout(5_000), redirect: 'manual' });
			console.log(`the app answered HTTP ${res.status} after ${seconds(Date.now() - started)}`);
			return baseUrl;
		} catch {
			await new Promise((r) => setTimeout(r, 500));
		}
	}
	throw new Error(`the app did not answer HTTP within ${seconds(startTimeout)}:\n${tail(logPath)}`);
}

function tail(file, lines = 30) {
	try {
		return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

function killGroup(child, signal = 'SIGTERM') {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

function groupAlive(child) {
	try {
		process.kill(-child.pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** SIGTERM to the child's whole process group; SIGKILL to what is left of it after `graceMs`. */
async function stop(child, graceMs = 5_000) {
	if (!child?.pid || !groupAlive(child)) return;
	killGroup(child);
	for (const until = Date.now() + graceMs; Date.now() < until && groupAlive(child); ) {
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	if (groupAlive(child)) killGroup(child, 'SIGKILL');
}

function runFile(file, baseUrl) {
	const name = path.basename(file, '.e2e.mjs');
	const artifacts = path.join(root, 'test-results/e2e', name);
	mkdirSync(artifacts, { recursive: true });
	console.log(`\n▶ ${path.relative(root, file)}`);
	const started = Date.now();
	return new Promise((resolve) => {
		let lastLine = '';
		const child = (current = spawn(process.execPath, [file], {
			detached: true,
			stdio: ['inherit', 'pipe', 'inherit'],
			env: { ...process.env, BASE_URL: baseUrl, CHROMIUM_PATH: chromium, CHROMIUM_ARGS: CHROMIUM_ARGS.join(' '), E2E_ARTIFACTS: artifacts }
		}));
		// echoed as it comes; the last line is kept as the reason when the file could not run
		child.stdout.on('data', (chunk) => {
			process.stdout.write(chunk);
			lastLine = `${lastLine}${chunk}`.trim().split('\n').pop() ?? '';
		});
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child);
		}, fileTimeout);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const took = seconds(Date.now() - started);
			if (code === 0) console.log(`✓ ${name} (${took})`);
			else if (code === NOT_RUN) console.log(`- ${name}: not run (${lastLine})`);
			else console.log(`✗ ${name}: ${timedOut ? `timed out after ${seconds(fileTimeout)}` : `exit ${code ?? signal}`} (${took})`);
			resolve(code === 0 ? 'passed' : code === NOT_RUN ? { name, why: lastLine.replace(/^NOT RUN: /, '') } : 'failed');
		});
	});
}
