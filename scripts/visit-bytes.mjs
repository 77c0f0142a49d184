#!/usr/bin/env node
// What the map page's first visit sends over the wire (issue 18, goal ≤ 2 MB), by kind and by
// resource: the same visit as tests/bench/browser.bench.ts `visit` (leader1, 1280×800, the
// test-hook flag, until window.__gridmapReady and every layer drawn), against a running app:
//   node scripts/visit-bytes.mjs http://127.0.0.1:3300 [--top 25] [--json]
// Bytes are `transferSize || encodedBodySize` of each resource timing entry plus the navigation,
// the figure the benchmark reports. A resource the offline worker answered has no transfer size and
// counts at its decoded size: the table marks them (`via sw`). The page's timing does not see what
// MapLibre's worker fetches (the base map) nor the offline worker's precache: the "on the wire" line
// adds up Chromium's own counts (Playwright's request sizes) for the page and the offline worker,
// after the worker has installed.
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const { chromium } = require('playwright-core');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const argv = process.argv.slice(2);
const base = (argv.find((a) => !a.startsWith('--')) ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const topN = Number(argv[argv.indexOf('--top') + 1]) || 25;

/** The kind a URL belongs to, for the table. @param {string} u @param {string} initiator */
function kind(u, initiator) {
	const p = new URL(u).pathname;
	if (initiator === 'navigation') return 'page (HTML)';
	if (/\.m?js$/.test(p)) return 'JS';
	if (/\.css$/.test(p)) return 'CSS';
	if (/\.pbf$/.test(p) && /glyph|font/i.test(p)) return 'glyphs';
	if (/sprite/i.test(p)) return 'sprites';
	if (/\.(pbf|mvt|pmtiles)$/.test(p) || /basemap|\/tiles?\//.test(p) && !p.startsWith('/api/')) return 'basemap tiles';
	if (/\.(png|jpe?g|webp|svg|ico|avif)$/.test(p)) return 'images';
	if (/\.(woff2?|ttf|otf)$/.test(p)) return 'fonts';
	if (p.startsWith('/api/')) {
		if (/aggregate/.test(p)) return 'API aggregates';
		if (/grid/.test(p)) return 'API grids';
		if (/tile|points/.test(p)) return 'API point tiles';
		return 'API other';
	}
	return 'other';
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	await context.addInitScript(() => (/** @type {any} */ (window).__GRID_TEST_HOOKS__ = true));
	const page = await context.newPage();
	const signIn = await page.request.get(`${base}/login/demo?user=leader1&redirect=/`, { maxRedirects: 0 });
	if (signIn.status() !== 303) throw new Error(`demo sign-in as leader1 failed: HTTP ${signIn.status()}`);
	/** @type {Map<string, string>} content-encoding per URL, from the responses themselves */
	const encoding = new Map();
	/** @type {Set<string>} URLs the page got from its service worker (not from the network) */
	const fromWorker = new Set();
	/**
	 * What really crossed the network, page and service worker alike (the worker's install
	 * precaches the app shell during this visit): headers + encoded body of every request that
	 * was not answered by the service worker, as Chromium's network stack counted them.
	 * @type {{url: string, by: string, bytes: number}[]}
	 */
	const wire = [];
	/** @type {Promise<unknown>[]} */
	const pending = [];
	context.on('requestfinished', (/** @type {any} */ r) => pending.push((async () => {
		const res = await r.response();
		const h = res ? await res.allHeaders().catch(() => ({})) : {};
		if (!r.serviceWorker()) encoding.set(r.url(), h['content-encoding'] ?? '');
		if (res?.fromServiceWorker()) return void fromWorker.add(r.url());
		const s = await r.sizes().catch(() => null);
		if (s) wire.push({ url: r.url(), by: r.serviceWorker() ? 'service worker' : 'page', bytes: s.responseBodySize + s.responseHeadersSize });
	})()));
	await page.goto(base + '/', { waitUntil: 'load', timeout: 120_000 });
	await page.waitForFunction(() => /** @type {any} */ (window).__gridmapReady === true, null, { timeout: 300_000, polling: 50 });
	await page.waitForFunction(() => {
		const c = /** @type {any} */ (window).__gridmap;
		const done = c.drawing === 'aggregates' ? c.aggregates !== null : !Object.values(c.sets).some((/** @type {any} */ s) => s.loading);
		return done && c.map.loaded();
	}, null, { timeout: 300_000, polling: 50 });
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
	// the worker's install (its precache) belongs to the visit's bytes on the wire
	const worker = await page.evaluate(() => Promise.race([
		navigator.serviceWorker ? navigator.serviceWorker.ready.then(() => 'installed') : Promise.resolve('none (not a secure context)'),
		new Promise((r) => setTimeout(() => r('not installed after 60 s'), 60_000))
	]));
	await page.waitForTimeout(500);
	const entries = await page.evaluate(() => {
		const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
		const res = /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType('resource'));
		return [{ name: nav.name, initiator: 'navigation', bytes: nav.transferSize, decoded: nav.decodedBodySize },
			...res.map((r) => ({ name: r.name, initiator: r.initiatorType, bytes: r.transferSize || r.encodedBodySize, decoded: r.decodedBodySize, sw: r.workerStart > 0 && r.transferSize === 0 }))];
	});
	await Promise.all(pending);
	await context.close();
	const kib = (/** @type {number} */ n) => (n / 1024).toFixed(1).padStart(8);
	/** @type {Map<string, {n: number, bytes: number, decoded: number}>} */
	const byKind = new Map();
	for (const e of entries) {
		const k = kind(e.name, e.initiator);
		const s = byKind.get(k) ?? { n: 0, bytes: 0, decoded: 0 };
		s.n++; s.bytes += e.bytes; s.decoded += e.decoded;
		byKind.set(k, s);
	}
	const total = entries.reduce((n, e) => n + e.bytes, 0);
	const wirePage = wire.filter((w) => w.by === 'page').reduce((n, w) => n + w.bytes, 0);
	const wireWorker = wire.filter((w) => w.by !== 'page').reduce((n, w) => n + w.bytes, 0);
	if (argv.includes('--json')) {
		console.log(JSON.stringify({ totalKiB: total / 1024, wire: { pageKiB: wirePage / 1024, workerKiB: wireWorker / 1024 }, worker, byKind: Object.fromEntries([...byKind].map(([k, s]) => [k, { ...s, kib: s.bytes / 1024 }])), entries }, null, 1));
	} else {
		console.log(`first visit of ${base}/ as leader1, 1280×800: ${entries.length} resources, ${kib(total).trim()} KiB sent (goal ≤ 2048)\n`);
		console.log('kind                 count  sent KiB  decoded KiB');
		for (const [k, s] of [...byKind].sort((a, b) => b[1].bytes - a[1].bytes)) console.log(`${k.padEnd(20)} ${String(s.n).padStart(5)} ${kib(s.bytes)}  ${kib(s.decoded)}`);
		const viaWorker = entries.filter((e) => e.sw);
		console.log(`\n(${viaWorker.length} of these, ${kib(viaWorker.reduce((n, e) => n + e.bytes, 0)).trim()} KiB, came from the service worker: the timing has no transfer size for them and the sum takes their decoded size)`);
		console.log(`on the wire (Chromium's network stack): page ${kib(wirePage).trim()} KiB, service worker ${kib(wireWorker).trim()} KiB (worker ${worker}), together ${kib(wirePage + wireWorker).trim()} KiB`);
		console.log(`\ntop ${topN} resources by bytes sent`);
		console.log('sent KiB  decoded KiB  encoding  kind             url');
		for (const e of [...entries].sort((a, b) => b.bytes - a.bytes).slice(0, topN)) {
			const u = new URL(e.name);
			console.log(`${kib(e.bytes)}  ${kib(e.decoded)}     ${(e.sw ? 'via sw' : encoding.get(e.name) || '-').padEnd(8)}  ${kind(e.name, e.initiator).padEnd(16)} ${(u.pathname + u.search).slice(0, 110)}`);
		}
		console.log(`\ntop ${topN} requests of the service worker on the wire`);
		for (const w of wire.filter((w) => w.by !== 'page').sort((a, b) => b.bytes - a.bytes).slice(0, topN)) console.log(`${kib(w.bytes)}  ${new URL(w.url).pathname}`);
	}
} finally {
	await browser.close();
}
