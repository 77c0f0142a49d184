// TSPLIB distance functions (GEO, ATT, EUC_2D exactly as TSPLIB 95 defines them), tour length,
// and Held–Karp dynamic programming for an exact optimum on small instances. Used to check the
// visit planner against published optimal tours and against exhaustive search.

export type Tsplib = 'GEO' | 'ATT' | 'EUC_2D';

/** TSPLIB's nint: round half up, as (int)(x + 0.5). */
const nint = (x: number) => Math.floor(x + 0.5);

/** TSPLIB GEO: DDD.MM coordinates (degrees.minutes) to radians, with TSPLIB's PI = 3.141592. */
function geoRadians(x: number): number {
	const PI = 3.141592;
	const deg = Math.trunc(x);
	const min = x - deg;
	return (PI * (deg + (5.0 * min) / 3.0)) / 180.0;
}

/** Distance between node i (x = latitude, y = longitude for GEO) and node j under `type`. */
export function tsplibDistance(type: Tsplib, a: [number, number], b: [number, number]): number {
	if (type === 'EUC_2D') return nint(Math.hypot(a[0] - b[0], a[1] - b[1]));
	if (type === 'ATT') {
		const r = Math.sqrt(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) / 10.0);
		const t = nint(r);
		return t < r ? t + 1 : t;
	}
	const RRR = 6378.388;
	const [lat1, lon1, lat2, lon2] = [geoRadians(a[0]), geoRadians(a[1]), geoRadians(b[0]), geoRadians(b[1])];
	const q1 = Math.cos(lon1 - lon2);
	const q2 = Math.cos(lat1 - lat2);
	const q3 = Math.cos(lat1 + lat2);
	return Math.trunc(RRR * Math.acos(0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3)) + 1.0);
}

/** The full distance matrix of a TSPLIB instance (d[i][i] = 0). */
export function tsplibMatrix(type: Tsplib, coords: [number, number][]): number[][] {
	return coords.map((a, i) => coords.map((b, j) => (i === j ? 0 : tsplibDistance(type, a, b))));
}

/** Length of the closed tour visiting `tour` in order and returning to its first node. */
export function tourLength(d: number[][], tour: number[]): number {
	let sum = 0;
	for (let k = 0; k < tour.length; k++) sum += d[tour[k]][tour[(k + 1) % tour.length]];
	return sum;
}

export interface HeldKarpResult {
	length: number;
	tour: number[];
}

/** Largest instance Held–Karp accepts: 2^(n-1)·(n-1) doubles, 16 nodes ≈ 4 MB. */
export const HELD_KARP_MAX_NODES = 16;

/** Exact shortest closed tour from node 0 by Held–Karp, O(2^n · n²). */
export function heldKarp(d: number[][]): HeldKarpResult {
	const n = d.length;
	if (n < 2) return { length: 0, tour: n ? [0] : [] };
	if (n > HELD_KARP_MAX_NODES) throw new RangeError(`heldKarp: at most ${HELD_KARP_MAX_NODES} nodes, got ${n}`);
	const m = n - 1; // nodes 1..n-1 are bit 0..m-1
	const size = 1 << m;
	const cost = new Float64Array(size * m).fill(Infinity);
	const parent = new Int8Array(size * m).fill(-1);
	for (let j = 0; j < m; j++) cost[(1 << j) * m + j] = d[0][j + 1];
	// hot loop: every subset in increasing order, every last node in it, every next node outside
	for (let set = 1; set < size; set++) {
		for (let j = 0; j < m; j++) {
			if (!(set & (1 << j))) continue;
			const c = cost[set * m + j];
			if (c === Infinity) continue;
			for (let k = 0; k < m; k++) {
				if (set & (1 << k)) continue;
				const next = set | (1 << k);
				const v = c + d[j + 1][k + 1];
				if (v < cost[next * m + k]) {
					cost[next * m + k] = v;
					parent[next * m + k] = j;
				}
			}
		}
	}
	const full = size - 1;
	let best = Infinity;
	let last = -1;
	for (let j = 0; j < m; j++) {
		const v = cost[full * m + j] + d[j + 1][0];
		if (v < best) [best, last] = [v, j];
	}
	const tour: number[] = [];
	for (let set = full, j = last; j >= 0; ) {
		tour.push(j + 1);
		const p = parent[set * m + j];
		set &= ~(1 << j);
		j = p;
	}
	return { length: best, tour: [0, ...tour.reverse()] };
}
