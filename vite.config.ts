import { sveltekit } from '@sveltejs/kit/vite';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** The release, shown in /api/status and on the admin pages (package.json is its one source). */
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineConfig({
	plugins: [sveltekit()],
	define: { __APP_VERSION__: JSON.stringify(version) },
	ssr: {
		// PGlite loads its WASM and extension tarballs from its own package folder at run time
		external: ['@electric-sql/pglite', '@electric-sql/pglite-postgis', 'postgres']
	},
	test: {
		include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		testTimeout: 120_000,
		hookTimeout: 300_000,
		// two files at a time: a file mostly waits on one single-threaded database (PGlite's WASM or a
		// PostgreSQL backend), so a second file uses the other core; measured on 2 cores in
		// scripts/test.mjs's summary. VITEST_MAX_WORKERS=1 gives the old one-at-a-time run.
		fileParallelism: true,
		maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || 2,
		// a case that checks nothing fails instead of passing silently
		expect: { requireAssertions: true },
		// the import fixtures' district 430188 is fictional: accepted beside the GB/T 2260 list the
		// way an installation accepts a district created after the list's date (docs/import.md)
		env: { GBT2260_EXTRA_CODES: '430188' }
	}
});
