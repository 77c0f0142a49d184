// Empirical-Bayes smoothed rates (Marshall 1991, "Mapping disease and mortality rates using
// empirical Bayes estimators"; GeoDa's "Empirical Bayes" rate map). A grid of 12 households with
// 3 requests has a raw rate of 25 per 100, mostly chance; the smoothed rate pulls each grid towards
// the district's rate in proportion to how little its own population can tell: large grids keep
// their own rate, small ones borrow strength from the whole. Gi* runs on these; every page still
// shows the plain rate (count ÷ households × 100) as the figure.

/**
 * Global EB-smoothed rates: counts O_i over populations P_i, as rates per `per` (100 = per 100
 * households). θ = ΣO/ΣP; the between-grid variance φ = Σ P_i (r_i − θ)² / ΣP − θ / P̄ (method of
 * moments, 0 when negative); each rate shrinks with weight w_i = φ / (φ + θ / P_i). A grid with no
 * population gets θ. All zero: every rate 0.
 */
export function ebSmoothedRates(counts: ArrayLike<number>, populations: ArrayLike<number>, per = 100): Float64Array {
	const n = counts.length;
	if (populations.length !== n) throw new Error('ebSmoothedRates: counts and populations differ in length');
	let sumO = 0;
	let sumP = 0;
	for (let i = 0; i < n; i++) {
		if (populations[i] > 0) {
			sumO += counts[i];
			sumP += populations[i];
		}
	}
	const out = new Float64Array(n);
	if (sumP === 0) return out;
	const theta = sumO / sumP;
	const populated = Array.from({ length: n }, (_, i) => populations[i]).filter((p) => p > 0).length;
	let s2 = 0;
	for (let i = 0; i < n; i++) if (populations[i] > 0) s2 += populations[i] * (counts[i] / populations[i] - theta) ** 2;
	const phi = Math.max(0, s2 / sumP - theta / (sumP / populated));
	for (let i = 0; i < n; i++) {
		const p = populations[i];
		if (!(p > 0)) {
			out[i] = theta * per;
			continue;
		}
		const w = phi + theta / p > 0 ? phi / (phi + theta / p) : 0;
		out[i] = (w * (counts[i] / p) + (1 - w) * theta) * per;
	}
	return out;
}

/** The plain rate every page shows: count ÷ households × 100; null without households. */
export const per100Households = (count: number, households: number): number | null => (households > 0 ? (100 * count) / households : null);
