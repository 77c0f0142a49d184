#!/usr/bin/env node
// The install bundle, installed as docs/install.md says, on a machine with no network:
//
//   1. `node scripts/bundle.mjs` (reuses build/ when it is newer than the sources, as npm start does)
//      into a temporary folder; the archive must hold no devDependency and the run-time assets.
//   2. unpack it into an EMPTY temporary folder (no node_modules in any folder above it either, so
//      nothing outside the bundle can be resolved).
//   3. in a new network namespace (`unshare -n`: only a loopback, brought up inside; an outside
//      address must be unreachable, which is checked), with npm pointed at a registry that does
//      not exist and offline: start bin/grid-governance-map with a fresh DATA_DIR, wait until
//      /api/status says ready (the first start creates the embedded database and seeds the demo
//      district), sign in through the password form as a browser does (POST /login, same Origin),
//      read the map (/api/map/grids has grids; the map page answers), then SIGTERM it: it must exit 0
//      within the TimeoutStopSec of the bundled systemd unit.
//
// Exit 0 passed, 1 failed, 77 NOT RUN (unshare not permitted: not root, or no iproute2), with the
// reason printed as `NOT RUN: install bundle — <reason>` (scripts/test.mjs reports it so).
// Usage: node tests/bundle/run.mjs [--archive <file>] [--keep]
//   SEED_HOUSEHOLDS (default here 20000; the README's demo district has 200000) sizes the first-start seed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const NOT_RUN = 77;
const here = fileURLToPath(import.meta.url);
const repo = path.resolve(path.dirname(here), '..', '..');
const { values } = parseArgs({
	options: { archive: { type: 'string' }, keep: { type: 'boolean', default: false }, inside: { type: 'string' }, port: { type: 'string' }, counts: { type: 'string' } }
});
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;

let failures = 0;
let passes = 0;
/** @param {boolean} ok @param {string} what */
function check(ok, what) {
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
	if (ok) passes++;
	else failures++;
	return ok;
}
function notRun(reason) {
	console.log(`NOT RUN: install bundle — ${reason}`);
	process.exit(NOT_RUN);
}

if (values.inside) await inside(values.inside, Number(values.port));
else await outside();

// ── outside the namespace: build, unpack, then run `inside` in a new network namespace ─────────
async function outside() {
	const probe = spawnSync('unshare', ['-n', 'true'], { encoding: 'utf8' });
	if (probe.error) notRun(`unshare is missing (${probe.error.message}; util-linux)`);
	if (probe.status !== 0) notRun(`unshare -n is not permitted here (${(probe.stderr || '').trim() || `exit ${probe.status}`}; it needs root, as in CI)`);
	if (spawnSync('ip', ['-V']).status !== 0) notRun('the ip tool is missing (apt-get install iproute2; .ci/run does this)');

	const work = mkdtempSync(path.join(os.tmpdir(), 'grid-bundle-test-'));
	const cleanup = () => (values.keep ? console.log(`kept ${work}`) : rmSync(work, { recursive: true, force: true }));
	try {
		// 1. the bundle
		let archive = values.archive ? path.resolve(values.archive) : '';
		let buildMs = 0;
		if (!archive) {
			const t = Date.now();
			const made = spawnSync(process.execPath, [path.join(repo, 'scripts', 'bundle.mjs'), '--out', path.join(work, 'dist')], { stdio: 'inherit' });
			buildMs = Date.now() - t;
			if (made.status !== 0) throw new Error(`npm run bundle failed (exit ${made.status})`);
			archive = path.join(work, 'dist', readdirSync(path.join(work, 'dist')).find((f) => f.endsWith('.tar.gz')) ?? '');
		}
		check(existsSync(archive) && statSync(archive).isFile(), `one archive: ${path.basename(archive)}`);
		const size = statSync(archive).size;

		// 2. unpack into an empty folder
		const install = path.join(work, 'opt');
		mkdirSync(install);
		check(readdirSync(install).length === 0, `the install folder is empty before unpacking: ${install}`);
		for (let dir = install; ; dir = path.dirname(dir)) {
			if (existsSync(path.join(dir, 'node_modules'))) throw new Error(`${dir}/node_modules exists: the app could resolve packages outside the bundle; remove it or set TMPDIR elsewhere`);
			if (path.dirname(dir) === dir) break;
		}
		const t0 = Date.now();
		const untar = spawnSync('tar', ['-xzf', archive, '-C', install], { stdio: 'inherit' });
		const unpackMs = Date.now() - t0;
		if (untar.status !== 0) throw new Error(`tar -xzf failed (exit ${untar.status})`);
		const tops = readdirSync(install);
		check(tops.length === 1, `the archive holds one folder: ${tops.join(', ')}`);
		const root = path.join(install, tops[0]);
		let files = 0;
		const count = (d) => readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? count(path.join(d, e.name)) : files++));
		count(root);

		// what must be in it, and what must not
		const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
		const has = (p) => existsSync(path.join(root, p));
		// dev-only packages as the lockfile marks them (a devDependency that a dependency also needs, like
		// @mapbox/vector-tile for maplibre-gl, is a production package and stays)
		const lock = JSON.parse(readFileSync(path.join(repo, 'package-lock.json'), 'utf8'));
		const devOnly = Object.entries(lock.packages).filter(([p, v]) => p.startsWith('node_modules/') && /** @type {any} */ (v).dev).map(([p]) => p);
		const devFound = devOnly.filter((p) => has(p));
		check(devOnly.length > 0 && devFound.length === 0, `none of the lockfile's ${devOnly.length} dev-only packages is in node_modules${devFound.length ? `: found ${devFound.slice(0, 5).join(', ')}` : ''}`);
		const prodMissing = Object.keys(pkg.dependencies).filter((d) => !has(`node_modules/${d}/package.json`));
		check(prodMissing.length === 0, `every dependency is there${prodMissing.length ? `: missing ${prodMissing.join(', ')}` : ''}`);
		const assets = (dir, re) => (has(dir) ? readdirSync(path.join(root, dir)).filter((f) => re.test(f)) : []);
		check(assets('node_modules/@electric-sql/pglite/dist', /\.(wasm|data)$/).length >= 2, 'PGlite .wasm and .data are there');
		check(
			readdirSync(path.join(root, 'node_modules/@electric-sql/pglite-postgis'), { recursive: true }).some((f) => String(f).endsWith('.tar.gz')),
			'the PostGIS extension tarball is there'
		);
		check(has(`node_modules/argon2/prebuilds/${process.platform}-${process.arch}`), `argon2's native binary for ${process.platform}-${process.arch} is there`);
		// sql.js is cut to the one build the server loads: it must still open a database (GeoPackage imports)
		check(assets('node_modules/sql.js/dist', /./).sort().join(' ') === 'sql-wasm.js sql-wasm.wasm', `sql.js keeps only its Node build: ${assets('node_modules/sql.js/dist', /./).join(' ')}`);
		const sqljs = spawnSync(process.execPath, ['-e', "require('sql.js')().then((S) => { const d = new S.Database(); console.log(d.exec('SELECT 6 * 7')[0].values[0][0]); })"], { cwd: root, encoding: 'utf8' });
		check(sqljs.stdout.trim() === '42', `the bundle's sql.js opens a database: ${sqljs.stdout.trim() || sqljs.stderr.trim().slice(0, 200)}`);
		const migrations = readdirSync(path.join(repo, 'db/migrations')).filter((f) => f.endsWith('.sql'));
		check(assets('db/migrations', /\.sql$/).length === migrations.length, `all ${migrations.length} migrations are there`);
		for (const f of ['bin/grid-governance-map', 'bin/backup.mjs', 'bin/restore.mjs', 'bin/backup-checksums.mjs', 'build/handler.js', 'scripts/serve.mjs', 'README.md', 'docs/install.md', 'INSTALL.md', 'deploy/grid-governance-map.service', 'deploy/grid-governance-map.env']) check(has(f), `${f} is there`);
		check((statSync(path.join(root, 'bin/grid-governance-map')).mode & 0o111) !== 0, 'bin/grid-governance-map is executable');
		const leftovers = [];
		const scan = (d) => {
			for (const e of readdirSync(d, { withFileTypes: true })) {
				const p = path.join(d, e.name);
				if (e.isDirectory() && ['.cache', '.vite', '.svelte-kit'].includes(e.name)) leftovers.push(p);
				else if (e.isDirectory()) scan(p);
				else if (/\.(map|ts|mts|cts|tsx)$/.test(e.name) || /\.(test|spec)\.m?js$/.test(e.name)) leftovers.push(p);
			}
		};
		scan(root);
		check(leftovers.length === 0, `no source maps, TypeScript sources, caches or test files${leftovers.length ? `: ${leftovers.slice(0, 5).join(', ')}` : ''}`);
		check(!has('src') && !has('tests') && !has('node_modules/.bin/vite'), 'no sources, no tests, no Vite');

		// 3. start it with no network
		const unit = readFileSync(path.join(root, 'deploy/grid-governance-map.service'), 'utf8');
		const stopS = Number(/^TimeoutStopSec=(\d+)\s*$/m.exec(unit)?.[1]);
		check(stopS > 0, `the unit's TimeoutStopSec: ${stopS} s`);
		const port = 3000; // the namespace has its own ports: nothing else listens there
		console.log(`\nstarting ${path.relative(work, root)}/bin/grid-governance-map in a new network namespace (port ${port})`);
		const countsFile = path.join(work, 'inside-counts.json');
		const child = spawn('unshare', ['-n', process.execPath, here, '--inside', root, '--port', String(port), '--counts', countsFile], {
			stdio: 'inherit',
			env: { ...process.env, STOP_TIMEOUT_S: String(stopS) }
		});
		const code = await new Promise((resolve) => child.on('close', (c, s) => resolve(c ?? (s ? 128 : 1))));
		// the checks made inside count in this run's tally
		const inner = existsSync(countsFile) ? JSON.parse(readFileSync(countsFile, 'utf8')) : { passes: 0, failures: 0 };
		passes += inner.passes;
		failures += inner.failures;
		check(code === 0 && inner.passes > 0, `inside the namespace: exit ${code}, ${inner.passes} passed, ${inner.failures} failed`);
		console.log(
`[bundle] figures: archive ${mb(size)}, ${files} files, bundle made in ${buildMs ? seconds(buildMs) : '(given)'}, unpacked in ${seconds(unpackMs)}`);
	} catch (e) {
		check(false, /** @type {Error} */ (e).message);
	} finally {
		cleanup();
	}
	console.log(`\ninstall bundle: ${passes} passed, ${failures} failed`);
	process.exit(failures ? 1 : 0);
}

// ── inside the namespace: the app from the bundle, as a server with no network runs it ─────────
async function inside(root, port) {
	const lo = spawnSync('ip', ['link', 'set', 'lo', 'up'], { encoding: 'utf8' });
	if (!check(lo.status === 0, `loopback up in the namespace${lo.status ? `: ${lo.stderr}` : ''}`)) process.exit(1);
	check(!(await reachable('192.0.2.1', 80)) && !(await reachable('1.1.1.1', 443)), 'addresses outside are unreachable (no network but loopback)');

	const home = mkdtempSync(path.join(os.tmpdir(), 'grid-bundle-home-'));
	const dataDir = path.join(home, 'data');
	// the environment of a server that has Node and nothing else: no inherited app settings, npm
	// pointed at a registry that does not exist and told to stay offline
	const env = {
		PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
		HOME: home,
		LANG: 'C.UTF-8',
		PORT: String(port),
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		npm_config_registry: 'http://127.0.0.1:9/',
		npm_config_offline: 'true',
		npm_config_cache: path.join(home, 'npm-cache'),
		// a smaller demo district than the README's 200 000 households (the same 583 grids and accounts):
		// the full one took 138 s to seed on a busy 2-core machine, too long for this suite's 3 minutes
		SEED_HOUSEHOLDS: process.env.SEED_HOUSEHOLDS || '20000'
	};
	const base = `http://127.0.0.1:${port}`;
	let log = '';
	const started = Date.now();
	// started as the unit starts it: the bin itself, from a working directory outside the bundle
	const app = spawn(path.join(root, 'bin', 'grid-governance-map'), [], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
	const exited = new Promise((resolve) => app.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
	for (const s of [app.stdout, app.stderr]) {
		s.setEncoding('utf8');
		s.on('data', (chunk) => {
			log += chunk;
			process.stdout.write(chunk.replace(/^(?=.)/gm, '  │ '));
		});
	}
	try {
		// ready: the first start creates the embedded database, migrates and seeds the demo district
		let status = null;
		let lastShown = '';
		while (Date.now() - started < 150_000 && app.exitCode === null) {
			status = await fetch(`${base}/api/status`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.json(), () => null);
			if (status?.ready) break;
			const line = status ? `${status.phase} ${status.percent}%` : 'not answering yet';
			if (line !== lastShown) console.log(`  … ${seconds(Date.now() - started)}: ${line}`);
			lastShown = line;
			await new Promise((r) => setTimeout(r, 500));
		}
		const readyMs = Date.now() - started;
		if (!check(status?.ready === true, `/api/status ready after ${seconds(readyMs)} (version ${status?.version}, schema ${status?.schema})`)) throw new Error('not ready');
		check(!/构建|vite build/i.test(log), 'the start did not try to build');

		// sign in as a browser does: the form page, then POST /login with the page's Origin
		const page = await fetch(`${base}/login`);
		check(page.status === 200 && (await page.text()).includes('password'), `GET /login: ${page.status}`);
		const form = new URLSearchParams({ username: 'admin', password: 'Demo-2026-grid' });
		const signIn = await fetch(`${base}/login`, {
			method: 'POST',
			redirect: 'manual',
			// a browser's form post (accept: text/html): SvelteKit answers it with the action's 303
			headers: { origin: base, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: form
		});
		const cookie = /gg_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0];
		check(signIn.status === 303 && !!cookie, `POST /login as admin: ${signIn.status}, session cookie ${cookie ? 'set' : 'MISSING'}`);

		// read the map
		const grids = await fetch(`${base}/api/map/grids`, { headers: { cookie: cookie ?? '' } });
		const body = grids.ok ? await grids.json() : null;
		const n = body?.features?.length ?? 0;
		check(grids.status === 200 && n > 0, `GET /api/map/grids: ${grids.status}, ${n} grids`);
		const map = await fetch(`${base}/`, { headers: { cookie: cookie ?? '' }, redirect: 'manual' });
		check(map.status === 200, `GET / (the map page) signed in: ${map.status}`);

		// the operator's backup from the bundle (bin/backup.mjs, no tsx, no sources), taken by the
		// serving server through its socket while it serves
		const backupStarted = Date.now();
		// run without blocking this process: a spawnSync longer than the server's 5 s keep-alive left
		// undici a pooled connection the server had closed meanwhile, and the next fetch failed
		const backup = await new Promise((resolve) => {
			const child = spawn(process.execPath, [path.join(root, 'bin', 'backup.mjs')], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d) => (stdout += d));
			child.stderr.on('data', (d) => (stderr += d));
			const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
			child.on('close', (status) => {
				clearTimeout(timer);
				resolve({ status, stdout, stderr });
			});
		});
		const file = /备份完成：(\S+\.tar\.gz)/.exec(backup.stdout)?.[1];
		check(backup.status === 0 && !!file && existsSync(file) && statSync(file).size > 0,
			`npm run backup from the bundle: exit ${backup.status}, ${file ? `${path.basename(file)} ${(statSync(file).size / 1_048_576).toFixed(1)} MB` : `no file (${(backup.stderr || backup.stdout).trim().split('\n').slice(-2).join(' ')})`} in ${seconds(Date.now() - backupStarted)}`);

		// a live stream (SSE) open, as every signed-in page has one: a stop must end it, not wait for it
		const live = await fetch(`${base}/api/live`, { headers: { cookie: cookie ?? '', accept: 'text/event-stream' } });
		check(live.status === 200 && !!live.body, `GET /api/live (SSE) open: ${live.status}`);
		const streamEnded = (async () => {
			try {
				for await (const chunk of /** @type {any} */ (live.body)) void chunk;
			} catch {
				// a connection cut counts as ended too
			}
			return Date.now();
		})();

		// stop as systemd does: SIGTERM, then the exit within the unit's TimeoutStopSec
		const limitS = Number(process.env.STOP_TIMEOUT_S || 30);
		const t = Date.now();
		app.kill('SIGTERM');
		const end = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), limitS * 1000))]);
		const stopMs = Date.now() - t;
		check(end !== null && /** @type {any} */ (end).code === 0, `SIGTERM: ${end ? `exit ${/** @type {any} */ (end).code ?? /** @type {any} */ (end).signal}` : 'still running'} after ${seconds(stopMs)} (the unit allows ${limitS} s)`);
		const ended = await Promise.race([streamEnded, new Promise((r) => setTimeout(() => r(null), 2_000))]);
		check(ended !== null, `the live stream ended with the stop${ended ? ` (${seconds(/** @type {number} */ (ended) - t)} after SIGTERM)` : ': still open 2 s after the exit'}`);
		console.log(`[bundle] inside: time to ready ${seconds(readyMs)} (first start: database created, demo district seeded with ${env.SEED_HOUSEHOLDS} households), SIGTERM exit ${seconds(stopMs)}, ${n} grids`);
	} catch (e) {
		if (!/** @type {Error} */ (e).message.startsWith('not ready')) check(false, /** @type {Error} */ (e).message);
		else console.log(`  app log (last lines):\n${log.trimEnd().split('\n').slice(-20).join('\n')}`);
	} finally {
		if (app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
		rmSync(home, { recursive: true, force: true });
	}
	if (values.counts) writeFileSync(values.counts, JSON.stringify({ passes, failures }));
	process.exit(failures ? 1 : 0);
}

/** Whether a TCP connection to host:port opens within 2 s. */
function reachable(host, port) {
	return new Promise((resolve) => {
		const s = net.connect({ host, port, timeout: 2_000 });
		s.on('connect', () => (s.destroy(), resolve(true)));
		s.on('timeout', () => (s.destroy(), resolve(false)));
		s.on('error', () => resolve(false));
	});
}
