// What the app's build is made from, and whether build/ is older than it: `npm start`, `npm run
// bundle` and the test suites decide alike when to run `vite build`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const BUILD_SOURCES = ['src', 'static', 'db', 'svelte.config.js', 'vite.config.ts', 'package.json', 'package-lock.json'];

/** Newest mtime (ms) under the given files and folders, node_modules and dot-folders left out. */
export function newestSource(paths = BUILD_SOURCES) {
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

/** Whether `output` (a file vite build writes) exists and is no older than every source. */
export const buildIsCurrent = (output) => existsSync(output) && statSync(output).mtimeMs >= newestSource();
