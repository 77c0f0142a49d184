// One hotspot analysis for a filter: DBSCAN clusters of the points ("where exactly"), Gi* per
// grid on the (empirical-Bayes smoothed) rate per 100 households with FDR-corrected bins ("which grids are hot"),
// Local Moran's I on the same rates and weights ("is the grid itself high, or only its neighbours":
// 低值被高值包围), emerging patterns over the last periods, and co-location with hazard hotspots.
import { colocatedAreas, colocatedClusters } from '../../domain/colocation';
import { ebSmoothedRates, per100Households } from '../../domain/ebsmooth';
import { dbscan, projectLocal, summarizeClusters, type ClusterSummary } from '../../domain/dbscan';
import { emergingPatterns, type EmergingPattern } from '../../domain/emerging';
import { distanceBandWeights, giStar, weightsFromNeighbours, type Weights } from '../../domain/gistar';
import { localMoran } from '../../domain/lisa';
import type { Queryable } from '../db/client';
import { gridSet, loadPoints, periodCounts, type GridSet } from './data';
import type { HotspotFilter } from './filters';

export interface GridResult {
	code: string; name: string; count: number;
	/** per 100 households (count ÷ households × 100), the figure every page shows; null without households */
	rate: number | null;
	/** the empirical-Bayes smoothed rate per 100 households that Gi* is computed on */
	smoothed: number;
	z: number; p: number; bin: number;
	/** LISA cluster (domain/lisa.ts): 0 not significant, 1 高值聚集, 2 低值被高值包围, 3 低值聚集, 4 高值被低值包围 */
	lisa: number; lisaP: number;
	/** the grid's quadrant on the Moran scatterplot, significant or not: 1/4 its own rate above the district's mean, 2/3 below */
	quadrant: number;
	pattern: EmergingPattern; hazardBin: number }

export interface Analysis {
	filter: HotspotFilter;
	generatedAt: string;
	points: { lon: number[]; lat: number[]; cluster: number[] };
	clusters: (ClusterSummary & { grid: string | null; hazardNear: boolean })[];
	grids: GridResult[];
	/** grids hot (≥ 95 %) for both these points and hazards */
	colocated: string[];
	timings: Record<string, number>;
}

export function gridWeights(set: GridSet, f: Pick<HotspotFilter, 'weighting' | 'band'>): Weights {
	if (f.weighting === 'contiguity') return weightsFromNeighbours(set.neighbours);
	const lonLat = new Float64Array(set.grids.length * 2);
	set.grids.forEach((g, i) => { lonLat[2 * i] = g.lon; lonLat[2 * i + 1] = g.lat; });
	return distanceBandWeights(projectLocal(lonLat), f.band);
}

/**
 * What Gi* measures per grid: requests (or hazards) per 100 households, empirical-Bayes smoothed
 * (domain/ebsmooth.ts) so that a grid of a dozen households is not hot by one unlucky week.
 */
export function rates(counts: ArrayLike<number>, set: GridSet): Float64Array {
	return ebSmoothedRates(counts, set.grids.map((g) => g.households));
}

/** Points per grid, their rate per 100 households, and Gi* of that rate: "which grids are hot". */
export function gridGiStar(set: GridSet, pointGrid: ArrayLike<number>, w: Weights, fdr: boolean) {
	const counts = new Float64Array(set.grids.length);
	for (let i = 0; i < pointGrid.length; i++) if (pointGrid[i] >= 0) counts[pointGrid[i]]++;
	const rate = rates(counts, set);
	return { counts, rate, gi: giStar(rate, w, { fdr }) };
}

/** Codes of the grids hot at 95 % or more for the filter: the Gi* part of analyze alone. */
export async function hotGridCodes(db: Queryable, f: HotspotFilter, now = new Date()): Promise<string[]> {
	const set = await gridSet(db);
	const points = await loadPoints(db, f, set, now);
	const { gi } = gridGiStar(set, points.grid, gridWeights(set, f), f.fdr);
	return set.grids.filter((_, i) => gi.bin[i] >= 2).map((g) => g.code);
}

export async function analyze(db: Queryable, f: HotspotFilter, now = new Date()): Promise<Analysis> {
	const t: Record<string, number> = {};
	let t0 = performance.now();
	const lap = (k: string) => { const t1 = performance.now(); t[k] = Math.round(t1 - t0); t0 = t1; };
	const set = await gridSet(db);
	const points = await loadPoints(db, f, set, now);
	const series = await periodCounts(db, f, set, now);
	const hazardFilter: HotspotFilter = { ...f, source: 'hazards', category: null, status: 'open', days: 365 };
	const hazardPoints = f.source === 'hazards' ? points : await loadPoints(db, hazardFilter, set, now);
	lap('sql');

	const xy = projectLocal(points.lonLat);
	const db1 = dbscan(xy, { eps: f.eps, minPoints: f.minPoints });
	const hxy = projectLocal(hazardPoints.lonLat);
	const hz = f.source === 'hazards' ? db1 : dbscan(hxy, { eps: Math.max(f.eps, 100), minPoints: 3 });
	lap('dbscan');

	const w = gridWeights(set, f);
	const { counts, rate, gi } = gridGiStar(set, points.grid, w, f.fdr);
	const lisa = localMoran(rate, w, { fdr: f.fdr });
	const hgi = gridGiStar(set, hazardPoints.grid, w, f.fdr).gi;
	const patterns = emergingPatterns(series.map((c) => giStar(rates(c, set), w).z));
	lap('gistar');

	const summaries = summarizeClusters(points.lonLat, xy, db1.labels, db1.clusters);
	// request and hazard cluster centres projected together, into one plane
	const centres = (s: ClusterSummary[]) => { const p = projectLocal(s.flatMap((c) => [c.lon, c.lat])); return s.map((c, i) => ({ id: c.id, x: p[2 * i], y: p[2 * i + 1], radiusM: c.radiusM })); };
	const both = centres([...summaries, ...summarizeClusters(hazardPoints.lonLat, hxy, hz.labels, hz.clusters).map((c) => ({ ...c, id: c.id + 1e6 }))]);
	const near = new Set(colocatedClusters(both.filter((c) => c.id < 1e6), both.filter((c) => c.id >= 1e6)).map(([r]) => r));
	const gridOf = new Int32Array(db1.clusters).fill(-1);
	for (let i = 0; i < db1.labels.length; i++) if (db1.labels[i] >= 0 && gridOf[db1.labels[i]] < 0) gridOf[db1.labels[i]] = points.grid[i];
	lap('summary');

	return {
		filter: f, generatedAt: now.toISOString(),
		points: { lon: Array.from(points.lonLat.filter((_, i) => i % 2 === 0), r6), lat: Array.from(points.lonLat.filter((_, i) => i % 2 === 1), r6), cluster: Array.from(db1.labels) },
		clusters: summaries.sort((a, b) => b.count - a.count).map((c) => ({ ...c, lon: r6(c.lon), lat: r6(c.lat), grid: set.grids[gridOf[c.id]]?.code ?? null, hazardNear: f.source === 'requests' && near.has(c.id) })),
		grids: set.grids.map((g, i) => ({ code: g.code, name: g.name, count: counts[i], rate: per100Households(counts[i], g.households), smoothed: rate[i], z: gi.z[i], p: gi.p[i], bin: gi.bin[i], lisa: lisa.cluster[i], lisaP: lisa.p[i], quadrant: lisa.quadrant[i], pattern: patterns[i], hazardBin: hgi.bin[i] })),
		colocated: f.source === 'requests' ? colocatedAreas(gi.bin, hgi.bin).map((i) => set.grids[i].code) : [],
		timings: t
	};
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
