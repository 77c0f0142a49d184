// Hotspot figures: our DBSCAN (grid index, typed arrays) next to turf's clustersDbscan 7.4 on the
// same points, Gi* with FDR on the district's grids, supercluster load, for the demo district's
// requests and for 1 000 000 points. turf is O(N²) as shipped (`new RBush(N)` makes one leaf), so
// it runs only up to TURF_CAP points and larger sizes are extrapolated quadratically — printed as
// an estimate, never as a measurement.
import clustersDbscan from '@turf/clusters-dbscan';
// @ts-ignore: supercluster ships no types
import Supercluster from 'supercluster';
import { generateDistrict } from '../../db/seed/generate';
import { canonicalLabels, dbscan, projectLocal } from '../../src/lib/domain/dbscan';
import { distanceBandWeights, giStar, weightsFromNeighbours } from '../../src/lib/domain/gistar';
import { table, type Figures } from './report';

const NOW = new Date('2026-11-21T00:00:00+08:00');
const TURF_CAP = Number(process.env.BENCH_TURF_CAP ?? 10_000);
const EPS = 60, MIN_POINTS = 6;

const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;
function time<T>(fn: () => T): [T, number] { const t = performance.now(); const r = fn(); return [r, performance.now() - t]; }

function turf(lonLat: Float64Array, n: number) {
	const fc = { type: 'FeatureCollection' as const, features: Array.from({ length: n }, (_, i) => ({ type: 'Feature' as const, properties: {}, geometry: { type: 'Point' as const, coordinates: [lonLat[2 * i], lonLat[2 * i + 1]] } })) };
	const [out, t] = time(() => clustersDbscan(fc as any, EPS / 1000, { units: 'kilometers', minPoints: MIN_POINTS }));
	return { t, labels: out.features.map((f: any) => (f.properties.dbscan === 'noise' ? -1 : f.properties.cluster)) };
}

/**
 * Our DBSCAN, turf's clustersDbscan and supercluster on the same points: ours on all of them, turf
 * on the first TURF_CAP (with ours again on that sample and the share of equal labels), turf on
 * all of them as a quadratic estimate (said so in the label), supercluster's index on all.
 */
export function benchClustering(lonLat: Float64Array, figures: Figures) {
	const n = lonLat.length / 2;
	const [xy, tp] = time(() => projectLocal(lonLat));
	dbscan(xy.subarray(0, Math.min(xy.length, 40_000)), { eps: EPS, minPoints: MIN_POINTS }); // JIT warm-up, untimed
	const [ours, td] = time(() => dbscan(xy, { eps: EPS, minPoints: MIN_POINTS }));
	figures.set(`points (requests of the dataset)`, n);
	figures.set(`ours: DBSCAN eps ${EPS} m minPoints ${MIN_POINTS}, all points, ms`, td + tp);
	figures.set(`ours: clusters found`, ours.clusters);
	const size = Math.min(TURF_CAP, n);
	const sub = lonLat.subarray(0, 2 * size);
	const tr = turf(sub, size);
	const [mine, tm] = time(() => dbscan(projectLocal(sub), { eps: EPS, minPoints: MIN_POINTS }));
	const a = canonicalLabels(tr.labels), b = mine.labels;
	let same = 0;
	for (let i = 0; i < size; i++) if (a[i] === b[i]) same++;
	figures.set(`sample of ${size.toLocaleString('en')}: turf clustersDbscan ms`, tr.t);
	figures.set(`sample of ${size.toLocaleString('en')}: ours ms`, tm);
	figures.set(`sample of ${size.toLocaleString('en')}: turf ÷ ours`, tr.t / tm);
	figures.set(`sample: same label as turf, % of points`, (100 * same) / size);
	figures.set(`turf on all points, s (ESTIMATE: quadratic from the sample, not run)`, (tr.t * (n / size) ** 2) / 1000);
	const features = Array.from({ length: n }, (_, i) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [lonLat[2 * i], lonLat[2 * i + 1]] } }));
	const [, ts] = time(() => new Supercluster({ radius: 50, maxZoom: 15 }).load(features));
	figures.set(`supercluster load (radius 50 px, maxZoom 15), all points, ms`, ts);
	figures.set(`supercluster ÷ ours (all points)`, ts / (td + tp));
}

export async function benchHotspots(households: number, print: (line: string) => void) {
	const t = performance.now();
	const d = generateDistrict({ households, now: NOW });
	print(`demo district ${households.toLocaleString()} households generated in ${ms(t)}: ${d.requests.length.toLocaleString()} requests, ${d.geo.grids.length} grids`);
	const lonLat = new Float64Array(d.requests.flatMap((r) => d.geo.toLonLat(r.p)));
	const n = d.requests.length;
	const f: Figures = new Map();
	benchClustering(lonLat, f);
	table(`clustering the demo district's ${n.toLocaleString()} requests`, [{ name: 'value', figures: f }], print);

	// Gi* on grid rates: contiguity from Voronoi neighbours is in the database; here a 1.2 km band on grid seeds
	const grids = d.geo.grids;
	const counts = new Float64Array(grids.length), hh = new Float64Array(grids.length);
	for (const r of d.requests) counts[r.grid]++;
	for (const h of d.households) hh[h.grid]++;
	const rates = counts.map((c, i) => (100 * c) / Math.max(100, hh[i]));
	const seeds = new Float64Array(grids.flatMap((g) => d.geo.toLonLat(g.seed)));
	let t2 = performance.now();
	const w = distanceBandWeights(projectLocal(seeds), 1200);
	const wt = performance.now() - t2;
	const [gi, tg] = time(() => giStar(rates, w, { fdr: true }));
	print(`Gi* + FDR on ${grids.length} grids: weights ${wt.toFixed(1)} ms, statistic ${tg.toFixed(2)} ms, ${[...gi.bin].filter((b) => b > 0).length} hot grids`);
	const [, ts] = time(() => new Supercluster({ radius: 50, maxZoom: 15 }).load(Array.from({ length: n }, (_, i) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [lonLat[2 * i], lonLat[2 * i + 1]] } }))));
	print(`supercluster load (maxZoom 15) of ${n.toLocaleString()} points: ${ts.toFixed(0)} ms`);

	// 1 000 000 points: five around each of 200 000 households' positions (≤ 25 m jitter), seeded
	const M = 1_000_000;
	const big = new Float64Array(2 * M);
	let s = 12345;
	const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
	const hhLonLat = d.households.map((h) => d.geo.toLonLat(h.p));
	const bigGrid = new Int32Array(M);
	for (let i = 0; i < M; i++) {
		const k = Math.floor(rnd() * hhLonLat.length);
		big[2 * i] = hhLonLat[k][0] + (rnd() - 0.5) * 0.0005; big[2 * i + 1] = hhLonLat[k][1] + (rnd() - 0.5) * 0.00045;
		bigGrid[i] = d.households[k].grid;
	}
	const [bxy, tbp] = time(() => projectLocal(big));
	for (const [eps, minPoints] of [[20, 30], [EPS, 200]]) {
		const [r, tb] = time(() => dbscan(bxy, { eps, minPoints }));
		print(`DBSCAN 1 000 000 points, eps ${eps} m, minPoints ${minPoints}: ${tb.toFixed(0)} ms (+ projection ${tbp.toFixed(0)} ms), ${r.clusters} clusters, ${[...r.labels].filter((l) => l < 0).length.toLocaleString()} noise`);
	}
	const turfSmall = turf(big, 10_000);
	print(`turf clustersDbscan on 10 000 of them: ${turfSmall.t.toFixed(0)} ms → 1 000 000 (quadratic estimate, not run): ≈ ${((turfSmall.t * 100 ** 2) / 3600_000).toFixed(1)} h`);
	const [, ta] = time(() => { const c = new Float64Array(grids.length); for (let i = 0; i < M; i++) c[bigGrid[i]]++; return giStar(c.map((x, i) => (100 * x) / Math.max(100, hh[i])), w, { fdr: true }); });
	print(`Gi* + FDR for 1 000 000 points (aggregate to ${grids.length} grids + statistic): ${ta.toFixed(0)} ms`);
	// Gi* over 1 000 000 areas: a 1000 × 1000 lattice, queen contiguity
	const side = 1000;
	const nb = Array.from({ length: side * side }, (_, i) => { const x = i % side, y = (i / side) | 0; const l: number[] = []; for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) { if ((dx || dy) && x + dx >= 0 && x + dx < side && y + dy >= 0 && y + dy < side) l.push(i + dy * side + dx); } return l; });
	const [lw, tlw] = time(() => weightsFromNeighbours(nb));
	const vals = Float64Array.from({ length: side * side }, () => rnd());
	const [, tl] = time(() => giStar(vals, lw, { fdr: true }));
	print(`Gi* + FDR on 1 000 000 areas (1000×1000 lattice, queen): weights ${tlw.toFixed(0)} ms, statistic + FDR ${tl.toFixed(0)} ms`);
}
