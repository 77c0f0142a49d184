// The scale section: for each dataset size, one generated district loaded into PostgreSQL and
// PGlite, the same measurements on both, printed side by side (see run.ts for the list).
import { generateDistrict } from '../../db/seed/generate';
import { loadDemoDistrict } from '../../db/seed/ensure';
import type { Db } from '../../src/lib/server/db/client';
import { NO_POSTGRES, pgliteBackend, POSTGRES_URL, postgresBackend, type Backend } from './backends';
import { benchBrowser, browserMissing } from './browser.bench';
import { benchClustering } from './hotspots.bench';
import { benchImport } from './import.bench';
import { benchQueries } from './queries.bench';
import { benchSeed } from './seed.bench';
import { benchTiles } from './tiles.bench';
import { stopwatch, table, type Column, type Figures } from './report';

export const SCALE_PARTS = ['seed', 'import', 'tiles', 'queries', 'clustering', 'browser'] as const;
type Part = (typeof SCALE_PARTS)[number];

const NOW = new Date('2026-11-21T00:00:00+08:00');
// the "empty map": the same district's grids and base map with next to no points (the generator
// fails below ~2000 households: some grid gets no household to draw requests from)
const EMPTY_HOUSEHOLDS = 2000;

/**
 * Waits until PostgreSQL's autovacuum is done with the database (PostgreSQL vacuums a bulk-loaded
 * table for minutes after the seed, and a figure taken meanwhile measures the vacuum too) and
 * says how long that took.
 */
async function settle(b: Backend, before: string, print: (line: string) => void) {
	const waited = await b.settle();
	print(`  ${b.name}: waited ${(waited / 1000).toFixed(1)} s for autovacuum to finish before ${before}`);
}

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));

/** PostgreSQL when a server is configured, else PGlite: where the browser's app gets its data. */
const browserBackend = (tag: string): Promise<Backend> => (POSTGRES_URL ? postgresBackend(tag) : Promise.resolve(pgliteBackend(tag)));

export async function benchScale(sizes: number[], parts: readonly Part[], print: (line: string) => void) {
	const lap = stopwatch();
	const has = (p: Part) => parts.includes(p);
	const dbParts = (['import', 'tiles', 'queries'] as Part[]).some(has) || has('seed') || has('browser');
	print(`PostgreSQL: ${POSTGRES_URL ? `scratch databases on ${new URL(POSTGRES_URL).host}` : `NOT RUN — ${NO_POSTGRES}`}; PGlite: file data dirs under the temp folder`);
	const noBrowser = has('browser') ? browserMissing() : null;

	let empty: Figures | null = null;
	if (has('browser') && !noBrowser) {
		const b = await browserBackend('empty');
		const db = await b.open();
		await loadDemoDistrict(db, generateDistrict({ households: EMPTY_HOUSEHOLDS, now: NOW }));
		await db.close();
		empty = new Map();
		try {
			await settle(b, 'the visit', print);
			await benchBrowser(b.serverEnv, empty, print).catch((e) => print(`browser (empty map) FAILED — ${e.stack ?? e}`));
		} finally {
			await b.drop();
		}
		print(`empty map (${b.name}, the same district with ${EMPTY_HOUSEHOLDS} households) measured ${lap()}`);
	}

	const clustering: Column[] = [];
	for (const n of sizes) {
		print(`\n## ${n.toLocaleString('en')} households`);
		const district = generateDistrict({ households: n, now: NOW });
		print(`generated: ${district.requests.length.toLocaleString('en')} requests, ${district.hazards.length.toLocaleString('en')} hazards, ` +
			`${district.knocks.length.toLocaleString('en')} door-knocks, ${district.requests.reduce((s, r) => s + r.events.length, 0).toLocaleString('en')} request events ${lap()}`);
		const columns: Column[] = [];
		const kept: Backend[] = [];
		for (const make of [POSTGRES_URL ? () => postgresBackend(label(n)) : null, async () => pgliteBackend(label(n))]) {
			if (!make) {
				columns.push({ name: 'PostgreSQL', figures: null, why: NO_POSTGRES });
				continue;
			}
			if (!dbParts) continue;
			const b = await make();
			kept.push(b);
			const figures: Figures = new Map();
			columns.push({ name: b.name, figures });
			const t = performance.now();
			const db: Db = await b.open();
			figures.set('seed: open + migrate an empty database, s', (performance.now() - t) / 1000);
			try {
				await benchSeed(db, district, figures, print);
				print(`  ${b.name}: seeded ${lap()}`);
				// a part that fails is reported and the others still run
				const part = async (name: Part, run: () => Promise<void>) => {
					if (!has(name)) return;
					await run().catch((e) => print(`  ${b.name}: ${name} FAILED — ${e.stack ?? e}`));
					print(`  ${b.name}: ${name} ${lap()}`);
				};
				await part('import', () => benchImport(db, district, figures, print));
				if (has('tiles') || has('queries')) await settle(b, 'the timed parts', print);
				await part('tiles', () => benchTiles(db, figures, print));
				await part('queries', () => benchQueries(db, NOW, figures, print));
			} catch (e: any) {
				print(`  ${b.name}: FAILED — ${e.stack ?? e}`);
			} finally {
				await db.close().catch(() => {});
			}
		}
		try {
			const title = (what: string) => `${label(n)} households — ${what}`;
			table(title('seed and import throughput'), columns, print, ['seed:', 'import:']);
			table(title('viewport/tile API latency against the bare SQL (ms)'), columns, print, ['tiles:', 'versions()']);
			table(title('bytes per 1280×800 view'), columns, print, ['bytes:']);
			table(title('KPI, big-screen, grid-worker ranking and hotspot queries (ms)'), columns, print, ['kpi:', 'screen:', 'workers:', 'hotspots:']);

			if (has('clustering')) {
				const f: Figures = new Map();
				benchClustering(new Float64Array(district.requests.flatMap((r) => district.geo.toLonLat(r.p))), f);
				clustering.push({ name: label(n), figures: f });
				print(`clustering ${lap()}`);
			}
			if (has('browser')) {
				const target = kept.find((b) => b.name === 'PostgreSQL') ?? kept.find((b) => b.name === 'PGlite');
				if (noBrowser || !empty || !target) print(`browser: NOT RUN — ${noBrowser ?? 'no database was built'}`);
				else {
					const city: Figures = new Map();
					await settle(target, 'the visit', print);
					await benchBrowser(target.serverEnv, city, print).catch((e) => print(`browser FAILED — ${e.stack ?? e}`));
					table(title(`map page in headless Chromium, app on ${target.name} (ms)`), [{ name: 'empty map', figures: empty }, { name: 'city', figures: city }], print);
					print(`browser ${lap()}`);
				}
			}
		} finally {
			for (const b of kept) await b.drop();
		}
	}
	if (clustering.length) table('hotspot clustering on the requests of each dataset (same points for all three)', clustering, print);
}
