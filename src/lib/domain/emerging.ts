// Emerging hot-spot patterns per area over consecutive periods: new, intensifying, persistent,
// diminishing (plus sporadic and none), from each period's Gi* z-score. A simplified form of
// ArcGIS's Emerging Hot Spot Analysis, with rules a leader can read:
//
//   new          hot in the latest period and in no earlier one
//   intensifying hot in the latest period and z rising over the periods (Mann–Kendall trend up)
//   persistent   hot in at least `persistentShare` of the periods, the latest included, no trend
//   diminishing  hot in an earlier period, z falling (Mann–Kendall trend down), or hot before but
//                not in the latest `coolPeriods` periods after being hot in ≥ `persistentShare` of the rest
//   sporadic     hot in some period, none of the above
//   none         never hot
import { normalCdf } from './gistar';

export type EmergingPattern = 'new' | 'intensifying' | 'persistent' | 'diminishing' | 'sporadic' | 'none';

export const EMERGING_LABEL: Record<EmergingPattern, string> = {
	new: '新增热点', intensifying: '加剧热点', persistent: '持续热点', diminishing: '消退热点', sporadic: '零星热点', none: '—'
};

export interface EmergingOptions {
	/** z-score at or above which an area is hot in a period (1.96 = 95 % two-sided) */
	hotZ?: number;
	/** share of periods (0–1) an area must be hot in to be persistent */
	persistentShare?: number;
	/** one-sided Mann–Kendall p-value below which a trend counts (0–1) */
	trendP?: number;
}

export const EMERGING_DEFAULTS: Required<EmergingOptions> = { hotZ: 1.96, persistentShare: 0.75, trendP: 0.05 };

/** Mann–Kendall S and its one-sided p-value for the trend's sign (normal approximation, continuity-corrected). */
export function mannKendall(series: ArrayLike<number>): { s: number; p: number } {
	const n = series.length;
	let s = 0;
	for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(series[j] - series[i]);
	const v = (n * (n - 1) * (2 * n + 5)) / 18;
	if (s === 0 || v === 0) return { s, p: 0.5 };
	const z = (s - Math.sign(s)) / Math.sqrt(v);
	return { s, p: normalCdf(-Math.abs(z)) };
}

/** The pattern of one area from its z-scores, oldest period first. */
export function emergingPattern(z: ArrayLike<number>, options: EmergingOptions = {}): EmergingPattern {
	const { hotZ, persistentShare, trendP } = { ...EMERGING_DEFAULTS, ...options };
	const n = z.length;
	if (n < 2) throw new Error(`emergingPattern: needs at least 2 periods, got ${n}`);
	let hot = 0;
	for (let i = 0; i < n; i++) if (z[i] >= hotZ) hot++;
	if (!hot) return 'none';
	const latestHot = z[n - 1] >= hotZ;
	const mk = mannKendall(z);
	const up = mk.s > 0 && mk.p < trendP, down = mk.s < 0 && mk.p < trendP;
	if (latestHot && hot === 1) return 'new';
	if (latestHot && up) return 'intensifying';
	if (latestHot && hot >= persistentShare * n) return 'persistent';
	if (down) return 'diminishing';
	return 'sporadic';
}

/** Patterns for many areas: zByPeriod[p][i] is area i's z in period p (oldest first). */
export function emergingPatterns(zByPeriod: ArrayLike<number>[], options: EmergingOptions = {}): EmergingPattern[] {
	const periods = zByPeriod.length;
	const n = periods ? zByPeriod[0].length : 0;
	const series = new Float64Array(periods);
	const out: EmergingPattern[] = [];
	for (let i = 0; i < n; i++) {
		for (let p = 0; p < periods; p++) series[p] = zByPeriod[p][i];
		out.push(emergingPattern(series, options));
	}
	return out;
}
