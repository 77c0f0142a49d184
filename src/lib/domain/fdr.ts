// Benjamini–Hochberg false-discovery-rate control for many simultaneous tests (one per grid),
// as ArcGIS's Hot Spot Analysis applies it to the 90/95/99 % confidence bins.

/**
 * The BH critical p-value at level `alpha`: the largest p(k) with p(k) ≤ k·alpha/m over the m
 * sorted p-values, or 0 when none qualifies (then nothing is significant).
 */
export function bhThreshold(pValues: ArrayLike<number>, alpha: number): number {
	if (!(alpha > 0 && alpha < 1)) throw new Error(`bhThreshold: alpha must be in (0, 1), got ${alpha}`);
	const sorted = Float64Array.from(pValues).sort();
	const m = sorted.length;
	let cut = 0;
	for (let k = 1; k <= m; k++) if (sorted[k - 1] <= (k * alpha) / m) cut = sorted[k - 1];
	return cut;
}

/** BH-adjusted p-values (q-values): min over k ≥ rank of p(k)·m/k, capped at 1. */
export function bhAdjust(pValues: ArrayLike<number>): Float64Array {
	const m = pValues.length;
	const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a] - pValues[b]);
	const q = new Float64Array(m);
	let running = 1;
	for (let r = m - 1; r >= 0; r--) {
		const i = order[r];
		running = Math.min(running, (pValues[i] * m) / (r + 1));
		q[i] = running;
	}
	return q;
}
