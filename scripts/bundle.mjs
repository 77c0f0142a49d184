#!/usr/bin/env node
// `npm run bundle`: the offline install bundle, one archive a district's IT department carries onto a
// server that has Node ≥ 20 and nothing else (no npm registry, no internet):
//
//   dist/grid-governance-map-<version>-<platform>-<arch>.tar.gz
//     grid-governance-map-<version>/
//       bin/grid-governance-map   the start (deploy/start.mjs): serves build/ directly, never builds
//       build/                    the built app (vite build), without source maps
//       scripts/serve.mjs …       the HTTP server around it (graceful shutdown, https, proxies)
//       db/migrations/            applied at start (the demo seed is inside build/)
//       node_modules/             production dependencies only (npm prune --omit=dev of a copy):
//                                 PGlite + PostGIS with their .wasm/.data/.tar.gz, argon2's binary …
//       deploy/                   the systemd unit and an example environment file
//       README.md docs/ INSTALL.md VERSION
//
// The build is reused when it is newer than its sources (as `npm start` does), `--rebuild` forces
// one. The archive is reproducible: names sorted, owner 0, every mtime the commit's time
// (SOURCE_DATE_EPOCH when set), gzip without a timestamp. Prints the size and the time each step took.
//
// Usage: node scripts/bundle.mjs [--rebuild] [--out <folder>]   (default folder: dist)
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildIsCurrent } from './sources.mjs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const { values } = parseArgs({ options: { rebuild: { type: 'boolean', default: false }, out: { type: 'string', default: 'dist' } } });

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const name = `${pkg.name}-${pkg.version}`;
const outDir = path.resolve(values.out);
const stageRoot = path.join(outDir, '.stage');
const stage = path.join(stageRoot, name);
const archive = path.join(outDir, `${name}-${process.platform}-${process.arch}.tar.gz`);

const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** Runs a step and prints how long it took. @template T @param {string} label @param {() => T} fn @returns {T} */
function step(label, fn) {
	const t = Date.now();
	const result = fn();
	console.log(`[bundle] ${label}: ${seconds(Date.now() - t)}`);
	return result;
}
/** Runs a command; a failure stops the bundle with its output. */
function sh(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
	if (r.status !== 0) {
		console.error(`[bundle] failed: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal ?? r.error?.message})`);
		process.exit(1);
	}
	return r;
}

// ── 1. the build ────────────────────────────────────────────────────────────────────────────
if (!existsSync('node_modules/vite/bin/vite.js')) {
	console.error('[bundle] node_modules is missing: run `npm ci` first (the bundle is made from it).');
	process.exit(1);
}
const fresh = buildIsCurrent('build/handler.js');
if (values.rebuild || !fresh) step('vite build', () => sh(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']));
else console.log('[bundle] build/ is newer than its sources: reused (--rebuild to build anyway)');

// ── 2. the staged folder ────────────────────────────────────────────────────────────────────
rmSync(stageRoot, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
const noMaps = (src) => !src.endsWith('.map');
step('copy app, scripts, migrations, docs', () => {
	cpSync('build', path.join(stage, 'build'), { recursive: true, filter: noMaps });
	mkdirSync(path.join(stage, 'scripts'));
	for (const f of ['serve.mjs', 'forwarded.mjs', 'tls.mjs']) copyFileSync(path.join('scripts', f), path.join(stage, 'scripts', f));
	cpSync('db/migrations', path.join(stage, 'db', 'migrations'), { recursive: true });
	cpSync('docs', path.join(stage, 'docs'), { recursive: true });
	copyFileSync('README.md', path.join(stage, 'README.md'));
	mkdirSync(path.join(stage, 'bin'));
	copyFileSync('deploy/start.mjs', path.join(stage, 'bin', 'grid-governance-map'));
	chmodSync(path.join(stage, 'bin', 'grid-governance-map'), 0o755);
	mkdirSync(path.join(stage, 'deploy'));
	for (const f of ['grid-governance-map.service', 'grid-governance-map.env']) copyFileSync(path.join('deploy', f), path.join(stage, 'deploy', f));
	copyFileSync('package-lock.json', path.join(stage, 'package-lock.json'));
	copyFileSync('package.json', path.join(stage, 'package.json'));
	if (existsSync('.npmrc')) copyFileSync('.npmrc', path.join(stage, '.npmrc'));
});

// the operator's commands (npm run backup / restore / backup:checksums) run through tsx in a
// checkout; the bundle has no tsx and no sources, so each is compiled into one file of bin/ with
// esbuild (Vite's own), its packages left to the bundle's node_modules
const CLIS = { backup: 'db/backup/backup.ts', restore: 'db/backup/restore.ts', 'backup-checksums': 'db/backup/checksums.ts' };
const { buildSync } = await import('esbuild');
step('operator commands (esbuild: backup, restore, backup-checksums)', () => {
	for (const [name, entry] of Object.entries(CLIS)) {
		buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning', outfile: path.join(stage, 'bin', `${name}.mjs`) });
	}
});

// ── 3. production dependencies: a copy of node_modules, pruned by npm ──────────────────────────
step('node_modules, production only (npm prune --omit=dev)', () => {
	// hard links are quick and cost no space; every later change to the copy is an unlink (npm
	// removes folders, we remove files), never a write through a link into ./node_modules
	const linked = spawnSync('cp', ['-al', 'node_modules', path.join(stage, 'node_modules')], { stdio: 'ignore' });
	if (linked.status !== 0) {
		rmSync(path.join(stage, 'node_modules'), { recursive: true, force: true });
		cpSync('node_modules', path.join(stage, 'node_modules'), { recursive: true, verbatimSymlinks: true });
	}
	// npm rewrites this file in place, which would write through the link: it goes first (npm makes a new one)
	for (const f of ['.package-lock.json', '.cache', '.vite', '.vite-temp']) rmSync(path.join(stage, 'node_modules', f), { recursive: true, force: true });
	// offline and to a registry that does not exist: pruning needs only the lockfile
	sh('npm', ['prune', '--omit=dev', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: stage,
		env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_update_notifier: 'false' }
	});
	// what Node never reads at run time: source maps, TypeScript (declarations and sources: Node does
	// not run .ts from node_modules, not even where it strips types), test files, caches
	let removed = 0;
	const visit = (dir) => {
		for (const e of readdirSync(dir, { withFileTypes: true })) {
			const p = path.join(dir, e.name);
			if (e.isDirectory()) {
				if (e.name === '.cache') rmSync(p, { recursive: true, force: true });
				else visit(p);
			} else if (/\.(map|ts|mts|cts|tsx|tsbuildinfo)$/.test(e.name) || /\.(test|spec)\.[cm]?js$/.test(e.name)) {
				rmSync(p);
				removed++;
			}
		}
	};
	visit(path.join(stage, 'node_modules'));
	// sql.js ships 20 builds and their zips (31 MB); the server loads one: its main, dist/sql-wasm.js,
	// and the sql-wasm.wasm beside it (GeoPackage imports, src/lib/server/import/read.ts)
	const sqljs = path.join(stage, 'node_modules', 'sql.js', 'dist');
	if (existsSync(sqljs)) for (const f of readdirSync(sqljs)) if (f !== 'sql-wasm.js' && f !== 'sql-wasm.wasm') { rmSync(path.join(sqljs, f)); removed++; }
	console.log(`[bundle]   ${removed} source maps, TypeScript and test files and unused sql.js builds left out`);
});

// the bundle's package.json: the same dependencies, one script that starts the built app (the
// checkout's `npm start` would try to build, and there is no Vite here)
const commit = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).stdout?.trim() || 'unknown';
const epoch = Number(process.env.SOURCE_DATE_EPOCH) || Number(spawnSync('git', ['log', '-1', '--format=%ct'], { encoding: 'utf8' }).stdout?.trim()) || Math.floor(statSync('package.json').mtimeMs / 1000);
const scripts = { start: 'node bin/grid-governance-map', backup: 'node bin/backup.mjs', restore: 'node bin/restore.mjs', 'backup:checksums': 'node bin/backup-checksums.mjs' };
writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify({ ...pkg, scripts }, null, 2)}\n`);
writeFileSync(
	path.join(stage, 'VERSION'),
	[`${pkg.name} ${pkg.version}`, `commit ${commit}`, `built ${new Date(epoch * 1000).toISOString()} (commit time)`, `node ≥ 20 (bundled on ${process.version}, ${process.platform}-${process.arch})`, ''].join('\n')
);
writeFileSync(
	path.join(stage, 'INSTALL.md'),
	`# 安装 ${pkg.name} ${pkg.version}\n\n完整步骤（离线安装 Node、配置、systemd、升级、卸载）：[docs/install.md](docs/install.md)。\n\n` +
		'```sh\n' +
		`sudo tar -xzf ${path.basename(archive)} -C /opt/grid-governance-map/releases\n` +
		`sudo ln -sfn releases/${name} /opt/grid-governance-map/current\n` +
		'sudo cp /opt/grid-governance-map/current/deploy/grid-governance-map.service /etc/systemd/system/\n' +
		'sudo systemctl enable --now grid-governance-map\n' +
		'```\n'
);

// ── 4. the archive ──────────────────────────────────────────────────────────────────────────
rmSync(archive, { force: true });
step('archive (tar, gzip)', () =>
	sh(
		'tar',
		['--sort=name', '--owner=0', '--group=0', '--numeric-owner', `--mtime=@${epoch}`, '--hard-dereference', '--use-compress-program=gzip -n', '-cf', archive, '-C', stageRoot, name],
		{ env: { ...process.env, LC_ALL: 'C' } }
	)
);
let files = 0;
let bytes = 0;
const count = (dir) => {
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		if (e.isDirectory()) count(path.join(dir, e.name));
		else {
			files++;
			bytes += statSync(path.join(dir, e.name)).size;
		}
	}
};
count(stage);
rmSync(stageRoot, { recursive: true, force: true });
const shown = (p) => (path.relative(root, p).startsWith('..') ? p : path.relative(root, p));
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
console.log(`[bundle] ${shown(archive)}: ${mb(statSync(archive).size)} (${files} files, ${mb(bytes)} unpacked), made in ${seconds(Date.now() - started)}`);
