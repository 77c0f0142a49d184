// The map page in headless Chromium (software WebGL, the flags of tests/support/browser.mjs) against a
// started app on a seeded database: time from navigation to the base map and grids drawn
// (window.__gridmapReady) and to every layer of the district view loaded and drawn (the median of
// three first visits, each to a newly started app: the server's caches are cold), then requestAnimationFrame deltas while the map pans by
// 8 px a frame (150 frames or 12 s, at least 6 measured: with 2 the percentiles said nothing) with every point loaded. Software WebGL
// (SwiftShader) on the CPU: frame times measure this machine's CPU rasterising, not a GPU.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { p50, p95, type Figures } from './report';
import { buildIsCurrent } from '../../scripts/sources.mjs';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const W = 1280, H = 800;

export const browserMissing = () => (existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM}`);

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		}).on('error', reject);
	});
}

/** Builds the app when the build is missing or older than its sources (the rule npm start and the suites use). */
function ensureBuilt() {
	if (buildIsCurrent('build/index.js')) return;
	const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

/**
 * The built app on a free port, served as `npm start` serves it (scripts/serve.mjs: no ORIGIN
 * needed on plain http), started by absolute path: another process on a shared machine that stops
 * servers by name does not stop this one.
 */
async function startApp(env: Record<string, string>): Promise<{ base: string; proc: ChildProcess }> {
	ensureBuilt();
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const clean = { ...process.env };
	delete clean.DATABASE_URL;
	delete clean.DATA_DIR;
	delete clean.ORIGIN;
	const proc = spawn(process.execPath, [path.resolve('scripts/serve.mjs')], {
		env: { ...clean, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true
	});
	const kill = () => { try { process.kill(-proc.pid!, 'SIGKILL'); } catch { /* gone already */ } };
	process.once('exit', kill); // never leave the app running when the benchmark stops
	// the build's and server's output is shown only when the app fails to come up
	let log = '';
	const keep = (b: Buffer) => (log = (log + b.toString()).slice(-8000));
	proc.stdout!.on('data', keep);
	proc.stderr!.on('data', keep);
	for (const until = Date.now() + 600_000; Date.now() < until; ) {
		if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`the app exited (${proc.exitCode ?? proc.signalCode}):\n${log}`);
		const s = await fetch(`${base}/api/status`).then((r) => r.json()).catch(() => null);
		if (s?.ready) return { base, proc };
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error('the app did not become ready in 10 minutes');
}

function stopApp(proc: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
		proc.once('exit', () => resolve());
		process.kill(-proc.pid!, 'SIGKILL'); // an open SSE stream would hold a graceful shutdown for 30 s
	});
}

async function visit(browser: any, base: string) {
	const context = await browser.newContext({ viewport: { width: W, height: H } });
	// the map exposes window.__gridmap only to pages opened with the test-hook flag (src/lib/map/testhooks.ts)
	await context.addInitScript(() => ((window as any).__GRID_TEST_HOOKS__ = true));
	const page = await context.newPage();
	page.on('pageerror', (e: Error) => console.log('  page error:', e.message));
	// the map needs a signed-in user (issue 7): a district leader, who sees every grid, signs in first
	// so that the timings below still start at the map page's own navigation
	const signIn = await page.request.get(`${base}/login/demo?user=leader1&redirect=/`, { maxRedirects: 0 });
	if (signIn.status() !== 303) throw new Error(`demo sign-in as leader1 failed: HTTP ${signIn.status()}`);
	await page.goto(base + '/', { waitUntil: 'load', timeout: 120_000 });
	await page.waitForFunction(() => (window as any).__gridmapReady === true, null, { timeout: 300_000, polling: 50 });
	const mapReady = await page.evaluate(() => performance.now());
	// below street zoom the map draws per-grid counts (one document), from it the view's point tiles
	await page.waitForFunction(() => {
		const c = (window as any).__gridmap;
		const done = c.drawing === 'aggregates' ? c.aggregates !== null : !Object.values(c.sets).some((s: any) => s.loading);
		return done && c.map.loaded();
	}, null, { timeout: 300_000, polling: 50 });
	// deck.gl draws on the next animation frame after the data arrives
	const pointsDrawn = await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now())))));
	const points = await page.evaluate(() => Object.values((window as any).__gridmap.sets).reduce((n: number, s: any) => n + s.combined().count, 0));
	const shown = await page.evaluate(() => {
		const c = (window as any).__gridmap;
		return { drawing: c.drawing as string, grids: (c.aggregates ?? []).length as number, zoom: c.map.getZoom() as number };
	});
	// bytes over the wire for the whole visit (encoded bodies + headers as the resource timing has them).
	// A resource the offline worker answered has no transfer size and counts at its decoded size
	// (up to 5× its brotli bytes): the worker registers once the map has settled
	// (src/lib/components/offline/register.ts), so on a first visit it should answer none; the count
	// says if it did (scripts/visit-bytes.mjs shows which, and the worker's own bytes on the wire).
	const { bytes, fromWorker } = await page.evaluate(() => {
		const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
		const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
		return {
			bytes: res.reduce((n, r) => n + (r.transferSize || r.encodedBodySize), 0) + (nav?.transferSize ?? 0),
			fromWorker: res.filter((r) => r.workerStart > 0 && r.transferSize === 0).length
		};
	});
	return { context, page, mapReady, pointsDrawn, points, shown, bytes, fromWorker };
}

/** requestAnimationFrame deltas while the map pans by 8 px a frame (150 frames or `ms`, at least 6 measured). */
async function panFrames(page: any, ms = 12_000): Promise<number[]> {
	return page.evaluate(async (ms: number) => {
		const m = (window as any).__gridmap.map;
		const out: number[] = [];
		const start = performance.now();
		let last = start;
		for (let i = 0; i < 150 && (i < 7 || performance.now() - start < ms); i++) {
			const dir = Math.floor(i / 25) % 2 ? -1 : 1;
			m.panBy([8 * dir, 3 * dir], { animate: false });
			await new Promise((r) => requestAnimationFrame(r));
			const now = performance.now();
			out.push(now - last);
			last = now;
		}
		return out.slice(1); // the first delta includes the evaluate call itself
	}, ms);
}

/** First visits timed per database (each on a freshly started app): the figure is their median. */
const VISITS = 3;
/** Rounds of the per-layer pans (see benchBrowser). */
const ROUNDS = 2;

export async function benchBrowser(env: Record<string, string>, figures: Figures, print: (line: string) => void) {
	const { chromium } = require('playwright-core');
	let { base, proc } = await startApp(env);
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
	try {
		// one visit's time swung 1.75× between runs on a busy machine: the median of VISITS first
		// visits, each to a newly started app (its caches empty) in a new browser context (no HTTP cache)
		const visits: Awaited<ReturnType<typeof visit>>[] = [];
		for (let i = 0; i < VISITS; i++) {
			if (i > 0) {
				await visits[i - 1].context.close();
				await stopApp(proc);
				({ base, proc } = await startApp(env));
			}
			visits.push(await visit(browser, base));
		}
		const v = visits[VISITS - 1];
		print(`  browser: ${VISITS} first visits, every layer drawn at ${visits.map((x) => Math.round(x.pointsDrawn)).join(', ')} ms`);
		const deltas = await panFrames(v.page);
		// each layer alone (the grids' fill and the other layers off), and none (the base map only):
		// its own pan frame time. A frame takes 7–200 ms in software WebGL and the base map alone
		// swung 62–87 ms (p50) from one 5 s pan to the next on one page: every setting is panned in
		// ROUNDS rounds of 4 s, one setting after another, and the p50 is of all its frames
		const settings = ['none', 'grids', 'households', 'hazards', 'requests'] as const;
		const frames: Record<string, number[]> = Object.fromEntries(settings.map((x) => [x, []]));
		for (let round = 0; round < ROUNDS; round++) {
			for (const only of settings) {
				await v.page.evaluate((only: string) => {
					const c = (window as any).__gridmap;
					c.setVisible({ grids: only === 'grids', households: only === 'households', hazards: only === 'hazards', requests: only === 'requests' });
				}, only);
				await v.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
				frames[only].push(...(await panFrames(v.page, 4_000)));
			}
		}
		const layers = Object.fromEntries(settings.map((x) => [x, p50(frames[x])]));
		await v.context.close();
		figures.set(`browser: district view drawn as ${v.shown.drawing} (z${v.shown.zoom.toFixed(1)}), grids counted`, v.shown.grids);
		figures.set('browser: points loaded in the page', v.points);
		figures.set('browser: bytes sent for the visit, KiB (goal ≤ 2 MB)', v.bytes / 1024);
		figures.set('browser: resources the service worker answered during the visit (counted decoded above)', v.fromWorker);
		figures.set(`browser: base map + grids drawn, ms after navigation (median of ${VISITS} visits)`, p50(visits.map((x) => x.mapReady)));
		figures.set(`browser: every layer drawn (aggregates or points), ms after navigation, median of ${VISITS} visits (city÷empty goal ≤ 1.5)`, p50(visits.map((x) => x.pointsDrawn)));
		figures.set('browser: panning, frames measured', deltas.length);
		figures.set('browser: panning, frame time p50 ms (city÷empty goal ≤ 2)', p50(deltas));
		figures.set('browser: panning, frame time p95 ms', p95(deltas));
		figures.set('browser: panning, frames per second', 1000 / (deltas.reduce((a, b) => a + b, 0) / deltas.length));
		figures.set(`browser: panning with no layer (the base map), frame time p50 ms`, layers.none);
		for (const layer of settings.slice(1)) figures.set(`browser: panning with ${layer} alone, frame time p50 ms (city÷empty goal ≤ 1.5)`, layers[layer]);
	} finally {
		await browser.close();
		await stopApp(proc);
	}
	print(`  browser: ${figures.get('browser: points loaded in the page')?.toLocaleString()} points in the page`);
}
