// What the browser suite and the fault suite both need to run the app as `npm start` does: a build
// no older than its sources, a free port, and (for the Playwright suite) the app itself started. Not a test file (no .e2e.mjs / .test.ts suffix).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildIsCurrent } from '../../scripts/sources.mjs';

const OUTPUT = 'build/index.js';
/** Runs `vite build` (cwd: the repository root) when build/ is missing or older than the sources. */
export function buildIfNeeded() {
	if (buildIsCurrent(OUTPUT)) {
		console.log('build/ is up to date');
		return;
	}
	console.log(existsSync(OUTPUT) ? 'sources changed since the last build: building' : 'no build yet: building');
	const started = Date.now();
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status})`);
	console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.unref();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
			s.close(() => resolve(port));
		});
	});
}

/** The last lines of a log, for the message when the app fails to start. */
function tail(file, lines = 30) {
	try {
		return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/**
 * Starts the app as README says (`node scripts/start.mjs`) with nothing but PORT, HOST (loopback)
 * and DATA_DIR (a fresh temporary one unless given) — plus `env`, the settings a spec is about —
 * its output in `logPath`, and waits until it
 * answers HTTP. Resolves to { port, dataDir, stop } — stop() ends its process group (SIGTERM, then
 * SIGKILL after 5 s) and removes a temporary data dir.
 * @param {{ logPath: string, dataDir?: string, timeoutMs?: number, env?: Record<string, string> }} options
 */
export async function startApp({ logPath, dataDir = '', timeoutMs = 180_000, env: settings = {} } = {}) {
	buildIfNeeded();
	const port = await freePort();
	const dir = dataDir || mkdtempSync(path.join(os.tmpdir(), 'grid-e2e-data-'));
	mkdirSync(path.dirname(logPath), { recursive: true });
	const log = createWriteStream(logPath);
	const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir };
	// the app uses its own embedded PGlite and is started as a user starts it: no public-address
	// settings inherited from this shell
	for (const name of ['DATABASE_URL', 'ORIGIN', 'TRUST_PROXY', 'TLS_CERT_FILE', 'TLS_KEY_FILE', 'PROTOCOL_HEADER', 'HOST_HEADER', 'ADDRESS_HEADER']) delete env[name];
	// a spec that tests one setting (a configured base map) passes exactly that
	Object.assign(env, settings);
	console.log(`starting the app: node scripts/start.mjs (port ${port}, DATA_DIR ${dir}, log ${logPath})`);
	const child = spawn('node', ['scripts/start.mjs'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout.pipe(log);
	child.stderr.pipe(log);
	const alive = () => {
		try {
			process.kill(-child.pid, 0);
			return true;
		} catch {
			return false;
		}
	};
	const signal = (sig) => {
		try {
			process.kill(-child.pid, sig);
		} catch {
			// already gone
		}
	};
	const stop = async () => {
		if (child.pid && alive()) {
			signal('SIGTERM');
			for (const until = Date.now() + 5_000; Date.now() < until && alive(); ) await new Promise((r) => setTimeout(r, 100));
			if (alive()) signal('SIGKILL');
		}
		if (!dataDir) rmSync(dir, { recursive: true, force: true });
	};
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		if (child.exitCode !== null) {
			await stop();
			throw new Error(`the app exited with ${child.exitCode} before answering:\n${tail(logPath)}`);
		}
		try {
			const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000), redirect: 'manual' });
			console.log(`the app answered HTTP ${res.status} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
			return { port, dataDir: dir, stop };
		} catch {
			await new Promise((r) => setTimeout(r, 500));
		}
	}
	await stop();
	throw new Error(`the app did not answer HTTP within ${timeoutMs / 1000} s:\n${tail(logPath)}`);
}
