// Getis-Ord Gi* local hot-spot statistic per area ("which grids are statistically hot").
//
// For values x (e.g. requests per household) and weights w_ij that include the area itself
// (w_ii = 1, the "star" variant), with n areas, mean X̄ and S = sqrt(Σx²/n − X̄²):
//
//   Gi* = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / (S · sqrt((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)))
//
// which is a z-score (Getis & Ord 1992/1995; the form ArcGIS Hot Spot Analysis and PySAL esda
// G_Local(star=True, transform='B') report). p-values are two-sided normal. Bins follow ArcGIS:
// ±3 = 99 %, ±2 = 95 %, ±1 = 90 % confidence, 0 = not significant; with `fdr` the cut-offs are
// Benjamini–Hochberg critical p-values instead of 0.01/0.05/0.10.
import { bhThreshold } from './fdr';

/** Sparse weights in compressed rows: area i's neighbours are cols[rowStart[i] .. rowStart[i+1]). */
export interface Weights {
	n: number;
	rowStart: Int32Array;
	cols: Int32Array;
	/** weight per entry (binary weights: all 1) */
	w: Float64Array;
}

export interface GiStarOptions {
	/** apply Benjamini–Hochberg false-discovery-rate correction to the bins (boolean) */
	fdr?: boolean;
}

export interface GiStarResult {
	z: Float64Array;
	p: Float64Array;
	/** −3 … 3: cold/hot at 99/95/90 % confidence, 0 not significant */
	bin: Int8Array;
}

const LEVELS = [0.01, 0.05, 0.1] as const; // bins 3, 2, 1

/** Binary weights from neighbour lists (i's own index is added: Gi* counts the area itself). */
export function weightsFromNeighbours(neighbours: readonly (readonly number[])[]): Weights {
	const n = neighbours.length;
	const rowStart = new Int32Array(n + 1);
	const rows = neighbours.map((list, i) => {
		const set = new Set<number>([i]);
		for (const j of list) {
			if (!Number.isInteger(j) || j < 0 || j >= n) throw new Error(`weightsFromNeighbours: area ${i} names neighbour ${j}, outside 0…${n - 1}`);
			set.add(j);
		}
		return [...set].sort((a, b) => a - b);
	});
	rows.forEach((r, i) => (rowStart[i + 1] = rowStart[i] + r.length));
	const cols = new Int32Array(rowStart[n]);
	rows.forEach((r, i) => cols.set(r, rowStart[i]));
	return { n, rowStart, cols, w: new Float64Array(cols.length).fill(1) };
}

/** Binary distance-band weights: j is i's neighbour when their points are ≤ band metres apart (itself included). */
export function distanceBandWeights(xy: Float64Array, band: number): Weights {
	if (!(band > 0)) throw new Error(`distanceBandWeights: band must be a positive number of metres, got ${band}`);
	const n = xy.length >> 1;
	const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => xy[2 * a] - xy[2 * b]);
	const lists: number[][] = Array.from({ length: n }, () => []);
	for (let a = 0; a < n; a++) {
		const i = order[a];
		for (let b = a + 1; b < n && xy[2 * order[b]] - xy[2 * i] <= band; b++) {
			const j = order[b];
			if (Math.hypot(xy[2 * j] - xy[2 * i], xy[2 * j + 1] - xy[2 * i + 1]) <= band) { lists[i].push(j); lists[j].push(i); }
		}
	}
	return weightsFromNeighbours(lists);
}

export function giStar(x: ArrayLike<number>, weights: Weights, options: GiStarOptions = {}): GiStarResult {
	const { n, rowStart, cols, w } = weights;
	if (x.length !== n) throw new Error(`giStar: ${x.length} values for ${n} areas`);
	if (n < 3) throw new Error(`giStar: needs at least 3 areas, got ${n}`);
	let sum = 0, sum2 = 0;
	for (let i = 0; i < n; i++) {
		if (!Number.isFinite(x[i])) throw new Error(`giStar: value ${i} is not finite`);
		sum += x[i]; sum2 += x[i] * x[i];
	}
	const mean = sum / n;
	const s = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
	const z = new Float64Array(n);
	const p = new Float64Array(n).fill(1);
	for (let i = 0; i < n; i++) {
		let wx = 0, wi = 0, s1 = 0;
		for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
			wx += w[k] * x[cols[k]]; wi += w[k]; s1 += w[k] * w[k];
		}
		const den = s * Math.sqrt((n * s1 - wi * wi) / (n - 1));
		// every value equal, or i neighbours everyone: no evidence either way
		if (!(den > 1e-12 * Math.max(1, Math.abs(mean)))) continue;
		z[i] = (wx - mean * wi) / den;
		p[i] = twoSidedP(z[i]);
	}
	const cut = LEVELS.map((a) => (options.fdr ? bhThreshold(p, a) : a));
	const bin = new Int8Array(n);
	for (let i = 0; i < n; i++) {
		const level = options.fdr ? (p[i] <= cut[0] ? 3 : p[i] <= cut[1] ? 2 : p[i] <= cut[2] ? 1 : 0) : (p[i] < cut[0] ? 3 : p[i] < cut[1] ? 2 : p[i] < cut[2] ? 1 : 0);
		bin[i] = z[i] > 0 ? level : -level;
	}
	return { z, p, bin };
}

/** 热点 99% / 冷点 95% … for a bin. */
export function binLabel(bin: number): string {
	if (bin === 0) return '不显著';
	return `${bin > 0 ? '热点' : '冷点'} ${[90, 95, 99][Math.abs(bin) - 1]}%`;
}


// The standard normal distribution function in double precision (Hart 1968, as given by G. West,
// "Better approximations to cumulative normal functions", 2005): absolute error < 1e-14.
export function normalCdf(x: number): number {
	const a = Math.abs(x);
	let c: number;
	if (a > 37) c = 0;
	else {
		const e = Math.exp((-a * a) / 2);
		if (a < 7.07106781186547) {
			let b = 3.52624965998911e-2 * a + 0.700383064443688;
			b = b * a + 6.37396220353165;
			b = b * a + 33.912866078383;
			b = b * a + 112.079291497871;
			b = b * a + 221.213596169931;
			b = b * a + 220.206867912376;
			c = e * b;
			b = 8.83883476483184e-2 * a + 1.75566716318264;
			b = b * a + 16.064177579207;
			b = b * a + 86.7807322029461;
			b = b * a + 296.564248779674;
			b = b * a + 637.333633378831;
			b = b * a + 793.826512519948;
			b = b * a + 440.413735824752;
			c = c / b;
		} else {
			let b = a + 0.65;
			b = a + 4 / b;
			b = a + 3 / b;
			b = a + 2 / b;
			b = a + 1 / b;
			c = e / b / 2.506628274631;
		}
	}
	return x > 0 ? 1 - c : c;
}

/** Two-sided p-value of a z-score. */
export function twoSidedP(z: number): number {
	return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}
