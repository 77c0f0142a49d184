// What the browser suite and the fault suite both need to run the app as `npm start` does: a build
// no older than its sources, and a free port. Not a test file (no .e2e.mjs / .test.ts suffix).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const OUTPUT = 'build/index.js';
const SOURCES = ['src', 'static', 'db', 'svelte.config.js', 'vite.config.ts', 'package.json', 'package-lock.json'];

/** Newest mtime under the given files and folders (ms), node_modules and dot-folders left out. */
function newest(paths) {
	let latest = 0;
	const visit = (p) => {
		if (!existsSync(p)) return;
		const st = statSync(p);
		if (st.isDirectory()) {
			for (const entry of readdirSync(p)) if (entry !== 'node_modules' && !entry.startsWith('.')) visit(path.join(p, entry));
		} else latest = Math.max(latest, st.mtimeMs);
	};
	paths.forEach(visit);
	return latest;
}

/** Runs `vite build` (cwd: the repository root) when build/ is missing or older than the sources. */
export function buildIfNeeded() {
	if (existsSync(OUTPUT) && statSync(OUTPUT).mtimeMs >= newest(SOURCES)) {
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
