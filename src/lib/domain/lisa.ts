// Local Moran's I (LISA, Anselin 1995): for each grid, does its own value go with its neighbours'
// (高值聚集 high among high, 低值聚集 low among low) or against them (低值被高值包围 a low grid in a hot
// neighbourhood, 高值被低值包围 a hot grid among calm ones)? Gi* alone cannot tell the two apart: it
// sums the neighbourhood with the grid itself, so a grid with one request beside two grids with 90
// comes out "热点 99 %". GeoDa's LISA cluster map and ArcGIS's Cluster and Outlier Analysis answer
// with this statistic; PySAL esda's Moran_Local is the reference it is checked against
// (tests/fixtures/lisa: same weights, every figure to 1e-9).
//
// With z the values standardised by their population standard deviation and W row-standardised
// (the grid itself excluded, as LISA requires; an island has no neighbours and stays 0):
//
//   I_i = (n − 1) · z_i · Σ_j w_ij z_j / Σ_k z_k²                              (esda's `Is`)
//
// Significance is the conditional-randomisation test GeoDa runs by permutations (the grid's value
// held, the others shuffled over its neighbours), here in its exact analytical moments (Sokal,
// Oden & Thomson 1998, eqs. A7–A8; esda's `EIc`, `VIc`), so the answer is deterministic and costs
// no simulation: z = (I'_i − E[I'_i]) / √Var(I'_i) with I'_i = z_i Σ_j w_ij z_j / m₂, the scale those
// moments are written for (I' = I · n/(n − 1)); p two-sided normal.
import { bhThreshold } from './fdr';
import { twoSidedP, type Weights } from './gistar';

/** PySAL's quadrant codes of the Moran scatterplot: 1 HH, 2 LH, 3 LL, 4 HL. */
export type LisaQuadrant = 1 | 2 | 3 | 4;
/** A significant grid's quadrant, or 0 when not significant. */
export type LisaCluster = 0 | LisaQuadrant;

export const LISA_LABEL: Record<LisaCluster, string> = {
	0: '不显著',
	1: '高值聚集',
	2: '低值被高值包围',
	3: '低值聚集',
	4: '高值被低值包围'
};

/** Significance level of a LISA cluster (GeoDa's default), FDR-corrected when asked. */
export const LISA_ALPHA = 0.05;

export interface LisaOptions {
	/** Benjamini–Hochberg false-discovery-rate correction of the 5 % cut-off */
	fdr?: boolean;
}

export interface LisaResult {
	/** local Moran's I per grid (esda's Is) */
	I: Float64Array;
	/** the quadrant of the Moran scatterplot, whatever the significance */
	quadrant: Uint8Array;
	/** standardised I under conditional randomisation and its two-sided p-value */
	z: Float64Array;
	p: Float64Array;
	/** the quadrant where p passes the cut-off, else 0 */
	cluster: Uint8Array;
	/** analytical moments (esda's EI, VI under total and EIc, VIc under conditional randomisation) */
	EI: Float64Array;
	VI: Float64Array;
	EIc: Float64Array;
	VIc: Float64Array;
}

/**
 * Local Moran's I of `x` over `weights` (the Gi* weights may be passed as they are: the grid's own
 * entry is dropped here), row-standardised.
 */
export function localMoran(x: ArrayLike<number>, weights: Weights, options: LisaOptions = {}): LisaResult {
	const { n, rowStart, cols, w } = weights;
	if (x.length !== n) throw new Error(`localMoran: ${x.length} values for ${n} areas`);
	if (n < 3) throw new Error(`localMoran: needs at least 3 areas, got ${n}`);
	let sum = 0;
	for (let i = 0; i < n; i++) {
		if (!Number.isFinite(x[i])) throw new Error(`localMoran: value ${i} is not finite`);
		sum += x[i];
	}
	const mean = sum / n;
	let ss = 0;
	for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
	const sd = Math.sqrt(ss / n);
	const z = new Float64Array(n);
	// every value equal: nothing stands out, every I is 0 and nothing is significant
	if (sd > 1e-12 * Math.max(1, Math.abs(mean))) for (let i = 0; i < n; i++) z[i] = (x[i] - mean) / sd;
	let den = 0;
	let z4 = 0;
	for (let i = 0; i < n; i++) {
		den += z[i] * z[i];
		z4 += z[i] ** 4;
	}
	const m2 = den / n;
	const b2 = m2 > 0 ? z4 / n / (m2 * m2) : 0;

	const out: LisaResult = {
		I: new Float64Array(n), quadrant: new Uint8Array(n), z: new Float64Array(n), p: new Float64Array(n).fill(1),
		cluster: new Uint8Array(n), EI: new Float64Array(n), VI: new Float64Array(n), EIc: new Float64Array(n), VIc: new Float64Array(n)
	};
	const n1 = n - 1;
	for (let i = 0; i < n; i++) {
		let rowSum = 0;
		for (let k = rowStart[i]; k < rowStart[i + 1]; k++) if (cols[k] !== i) rowSum += w[k];
		let lag = 0;
		let wi2 = 0;
		if (rowSum > 0) {
			for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
				if (cols[k] === i) continue;
				const wij = w[k] / rowSum;
				lag += wij * z[cols[k]];
				wi2 += wij * wij;
			}
		}
		const wi = rowSum > 0 ? 1 : 0;
		out.I[i] = den > 0 ? (n1 * z[i] * lag) / den : 0;
		out.quadrant[i] = z[i] > 0 ? (lag > 0 ? 1 : 4) : lag > 0 ? 2 : 3;
		out.EI[i] = -wi / n1;
		out.VI[i] = (wi2 * (n - b2)) / n1 + ((wi * wi - wi2) * (2 * b2 - n)) / (n1 * (n - 2)) - (wi / n1) ** 2;
		if (!(m2 > 0)) continue;
		out.EIc[i] = -(z[i] * z[i] * wi) / (n1 * m2);
		out.VIc[i] = (z[i] / m2) ** 2 * (n / (n - 2)) * (wi2 - (wi * wi) / n1) * (m2 - (z[i] * z[i]) / n1);
		if (out.VIc[i] > 0) {
			out.z[i] = ((z[i] * lag) / m2 - out.EIc[i]) / Math.sqrt(out.VIc[i]);
			out.p[i] = twoSidedP(out.z[i]);
		}
	}
	const cut = options.fdr ? bhThreshold(out.p, LISA_ALPHA) : LISA_ALPHA;
	for (let i = 0; i < n; i++) {
		const significant = options.fdr ? out.p[i] <= cut && cut > 0 : out.p[i] < cut;
		out.cluster[i] = significant ? out.quadrant[i] : 0;
	}
	return out;
}

/** The label a page shows for a grid's LISA result. */
export const lisaLabel = (cluster: number): string => LISA_LABEL[(cluster in LISA_LABEL ? cluster : 0) as LisaCluster];

/**
 * Is the grid's own value above the district's mean (quadrant 高-高 or 高-低)? A hot spot must be:
 * Gi* sums the neighbourhood with the grid, so a quiet grid beside busy ones can come out "hot";
 * such a grid is listed as 低值被高值包围 (when LISA finds it significant), never as a hot spot, and
 * is not picked as an acute 解剖麻雀 site.
 */
export const ownValueHigh = (quadrant: number): boolean => quadrant === 1 || quadrant === 4;
