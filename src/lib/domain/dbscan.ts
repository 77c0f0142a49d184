// DBSCAN density clusters on points in metres ("where exactly" problems concentrate).
//
// Points are projected from lon/lat to a local transverse Mercator plane on WGS84 (metres; within
// 0.001 % of the geodesic over a district, tests/unit/projection.test.ts), indexed in a uniform
// grid of cells of side eps/√2 and clustered over flat typed arrays (grid DBSCAN, below): never
// O(N²), even where thousands of points share a building.
//
// Labels match PostGIS ST_ClusterDBSCAN(geom, eps, minpoints) OVER (ORDER BY index) as a partition:
// - a point is core when at least `minPoints` points (itself included) lie within `eps` (≤, like
//   ST_DWithin);
// - core points within eps of each other share a cluster (the same on both: order-free);
// - a border point (not core, within eps of a core point) joins the cluster of the lowest-indexed
//   core point within eps. PostGIS walks the points in window order and a border point stays with
//   the first core point that claims it, i.e. the lowest index: the same rule. The DBSCAN paper
//   leaves this choice open (either assignment is "correct"), so both must fix one;
// - everything else is noise, label -1 (NULL in PostGIS).
// Cluster ids are numbered 0, 1, … in order of each cluster's lowest point index.

export interface DbscanOptions {
	/** neighbourhood radius, metres (> 0) */
	eps?: number;
	/** points within eps, the point itself included, that make a core point (integer ≥ 1) */
	minPoints?: number;
}

export const DBSCAN_DEFAULTS: Required<DbscanOptions> = { eps: 60, minPoints: 8 };

export interface DbscanResult {
	/** cluster id per point, -1 for noise */
	labels: Int32Array;
	/** 1 for core points, 0 otherwise */
	core: Uint8Array;
	clusters: number;
}

// WGS84 (CGCS2000 differs from it by less than a millimetre here): semi-major axis, eccentricity²
const WGS84_A = 6_378_137;
const E2 = 0.006_694_379_990_14;
const EP2 = E2 / (1 - E2);
const RAD = Math.PI / 180;

/** Meridian arc length from the equator to latitude φ (radians), metres (Snyder 1987, eq. 3-21). */
function meridianArc(phi: number): number {
	const e4 = E2 * E2, e6 = e4 * E2;
	return WGS84_A * ((1 - E2 / 4 - (3 * e4) / 64 - (5 * e6) / 256) * phi - ((3 * E2) / 8 + (3 * e4) / 32 + (45 * e6) / 1024) * Math.sin(2 * phi)
		+ ((15 * e4) / 256 + (45 * e6) / 1024) * Math.sin(4 * phi) - ((35 * e6) / 3072) * Math.sin(6 * phi));
}

/**
 * Projects lon/lat (degrees, interleaved [lon0, lat0, lon1, …]) to metres on a transverse Mercator
 * (Gauss–Krüger, as China's survey grids) whose central meridian and origin are the points' mean,
 * on the WGS84 ellipsoid (Snyder 1987, eqs. 8-9, 8-10, scale 1 on the central meridian). Against the
 * WGS84 geodesic it is within 0.1 % over a district (tests/unit/projection.test.ts); the sphere
 * it replaced was 0.34 % off at 28°N.
 */
export function projectLocal(lonLat: ArrayLike<number>): Float64Array {
	const n = lonLat.length >> 1;
	let latSum = 0, lonSum = 0;
	for (let i = 0; i < n; i++) { lonSum += lonLat[2 * i]; latSum += lonLat[2 * i + 1]; }
	const lon0 = n ? lonSum / n : 0, lat0 = n ? latSum / n : 0;
	const m0 = meridianArc(lat0 * RAD);
	const xy = new Float64Array(2 * n);
	for (let i = 0; i < n; i++) {
		const phi = lonLat[2 * i + 1] * RAD;
		const sin = Math.sin(phi), cos = Math.cos(phi), tan = Math.tan(phi);
		const N = WGS84_A / Math.sqrt(1 - E2 * sin * sin);
		const T = tan * tan, C = EP2 * cos * cos, A = (lonLat[2 * i] - lon0) * RAD * cos;
		const A2 = A * A;
		xy[2 * i] = N * (A + ((1 - T + C) * A * A2) / 6 + ((5 - 18 * T + T * T + 72 * C - 58 * EP2) * A * A2 * A2) / 120);
		xy[2 * i + 1] = meridianArc(phi) - m0 + N * tan * (A2 / 2 + ((5 - T + 9 * C + 4 * C * C) * A2 * A2) / 24
			+ ((61 - 58 * T + T * T + 600 * C - 330 * EP2) * A2 * A2 * A2) / 720);
	}
	return xy;
}

/** A uniform grid over the points, point indices sorted by cell (counting sort). */
class CellIndex {
	readonly cols: number;
	readonly rows: number;
	readonly size: number;
	readonly minX: number;
	readonly minY: number;
	readonly cellOf: Int32Array;
	readonly start: Int32Array; // cell c holds ids[start[c] .. start[c+1]), ascending
	readonly ids: Int32Array;
	constructor(xy: Float64Array, side: number) {
		const n = xy.length >> 1;
		let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
		for (let i = 0; i < n; i++) {
			const x = xy[2 * i], y = xy[2 * i + 1];
			if (x < minX) minX = x; if (x > maxX) maxX = x;
			if (y < minY) minY = y; if (y > maxY) maxY = y;
		}
		if (!n) minX = minY = maxX = maxY = 0;
		// cells never outnumber 4 N (+1024): a tiny eps over a wide extent gets bigger cells
		let size = side;
		const cap = 4 * n + 1024;
		while ((Math.floor((maxX - minX) / size) + 1) * (Math.floor((maxY - minY) / size) + 1) > cap) size *= 2;
		this.size = size; this.minX = minX; this.minY = minY;
		this.cols = Math.floor((maxX - minX) / size) + 1;
		this.rows = Math.floor((maxY - minY) / size) + 1;
		const cellOf = new Int32Array(n);
		const start = new Int32Array(this.cols * this.rows + 1);
		for (let i = 0; i < n; i++) {
			const c = Math.floor((xy[2 * i + 1] - minY) / size) * this.cols + Math.floor((xy[2 * i] - minX) / size);
			cellOf[i] = c;
			start[c + 1]++;
		}
		for (let c = 0; c < this.cols * this.rows; c++) start[c + 1] += start[c];
		const fill = start.slice(0, -1);
		const ids = new Int32Array(n);
		for (let i = 0; i < n; i++) ids[fill[cellOf[i]]++] = i;
		this.cellOf = cellOf; this.start = start; this.ids = ids;
	}
}

// Grid DBSCAN (Gunawan 2013): cells of side eps/√2, so any two points in one cell are within eps.
// A cell holding ≥ minPoints points is all core; core points of one cell are one cluster; two
// cells join when any pair of their core points is within eps (first pair found ends the search).
// The result is the same partition as point-by-point DBSCAN, at a cost that dense data cannot blow up.
export function dbscan(xy: Float64Array, options: DbscanOptions = {}): DbscanResult {
	const { eps, minPoints } = { ...DBSCAN_DEFAULTS, ...options };
	if (!(eps > 0) || !Number.isFinite(eps)) throw new Error(`dbscan: eps must be a positive number of metres, got ${eps}`);
	if (!Number.isInteger(minPoints) || minPoints < 1) throw new Error(`dbscan: minPoints must be an integer ≥ 1, got ${minPoints}`);
	if (xy.length % 2) throw new Error(`dbscan: xy must hold x,y pairs, got ${xy.length} numbers`);
	const n = xy.length >> 1;
	for (let i = 0; i < 2 * n; i++) if (!Number.isFinite(xy[i])) throw new Error(`dbscan: coordinate ${i >> 1} is not finite`);
	const index = new CellIndex(xy, eps / Math.SQRT2);
	const { cols, rows, start, ids, cellOf, size } = index;
	const compact = size * Math.SQRT2 <= eps; // false only when the cell cap forced bigger cells
	const reach = Math.ceil(eps / size); // cells to search on each side
	const eps2 = eps * eps;
	const within = (i: number, j: number) => {
		const dx = xy[2 * j] - xy[2 * i], dy = xy[2 * j + 1] - xy[2 * i + 1];
		return dx * dx + dy * dy <= eps2;
	};

	// squared distance from point i to cell (gx, gy): cells out of reach are skipped without a look at their points
	const toCell = (i: number, gx: number, gy: number) => {
		const x = xy[2 * i] - index.minX, y = xy[2 * i + 1] - index.minY;
		const dx = Math.max(gx * size - x, 0, x - (gx + 1) * size), dy = Math.max(gy * size - y, 0, y - (gy + 1) * size);
		return dx * dx + dy * dy;
	};

	// pass 1: core flags
	const core = new Uint8Array(n);
	for (let c = 0; c < cols * rows; c++) {
		const count = start[c + 1] - start[c];
		if (!count) continue;
		if (compact && count >= minPoints) { for (let k = start[c]; k < start[c + 1]; k++) core[ids[k]] = 1; continue; }
		const cx = c % cols, cy = (c / cols) | 0;
		for (let k = start[c]; k < start[c + 1]; k++) {
			const i = ids[k];
			let found = 0;
			search: for (let gy = Math.max(0, cy - reach); gy <= Math.min(rows - 1, cy + reach); gy++) {
				for (let gx = Math.max(0, cx - reach); gx <= Math.min(cols - 1, cx + reach); gx++) {
					const d = gy * cols + gx;
					if (compact && d === c) { found += count; if (found >= minPoints) break search; continue; }
					if (toCell(i, gx, gy) > eps2) continue;
					for (let m = start[d]; m < start[d + 1]; m++) if (within(i, ids[m]) && ++found >= minPoints) break search;
				}
			}
			if (found >= minPoints) core[i] = 1;
		}
	}

	// pass 2: union-find over points; the root is the lowest index
	const parent = new Int32Array(n);
	for (let i = 0; i < n; i++) parent[i] = i;
	const find = (a: number) => {
		while (parent[a] !== a) { parent[a] = parent[parent[a]]; a = parent[a]; }
		return a;
	};
	const union = (a: number, b: number) => {
		a = find(a); b = find(b);
		if (a !== b) parent[a < b ? b : a] = a < b ? a : b;
	};
	const firstCore = new Int32Array(cols * rows).fill(-1);
	for (let c = 0; c < cols * rows; c++) {
		for (let k = start[c]; k < start[c + 1]; k++) {
			const i = ids[k];
			if (!core[i]) continue;
			if (firstCore[c] < 0) firstCore[c] = i;
			else if (compact) union(firstCore[c], i);
		}
	}
	for (let c = 0; c < cols * rows; c++) {
		if (firstCore[c] < 0) continue;
		const cx = c % cols, cy = (c / cols) | 0;
		for (let gy = cy; gy <= Math.min(rows - 1, cy + reach); gy++) {
			for (let gx = Math.max(0, cx - reach); gx <= Math.min(cols - 1, cx + reach); gx++) {
				const d = gy * cols + gx;
				if (d < c || firstCore[d] < 0 || (d === c && compact)) continue;
				if (compact && find(firstCore[c]) === find(firstCore[d])) continue;
				pairs: for (let k = start[c]; k < start[c + 1]; k++) {
					const i = ids[k];
					if (!core[i] || toCell(i, gx, gy) > eps2) continue;
					for (let m = start[d]; m < start[d + 1]; m++) {
						const j = ids[m];
						if (j !== i && core[j] && within(i, j)) { union(i, j); if (compact) break pairs; }
					}
				}
			}
		}
	}

	// border points: the cluster of their lowest-indexed core neighbour
	const borderOf = new Int32Array(n).fill(-1);
	for (let i = 0; i < n; i++) {
		if (core[i]) continue;
		const c = cellOf[i], cx = c % cols, cy = (c / cols) | 0;
		let best = -1;
		for (let gy = Math.max(0, cy - reach); gy <= Math.min(rows - 1, cy + reach); gy++) {
			for (let gx = Math.max(0, cx - reach); gx <= Math.min(cols - 1, cx + reach); gx++) {
				const d = gy * cols + gx;
				if (firstCore[d] < 0 || toCell(i, gx, gy) > eps2) continue;
				for (let m = start[d]; m < start[d + 1]; m++) {
					const j = ids[m];
					if (core[j] && (best < 0 || j < best) && within(i, j)) best = j;
				}
			}
		}
		borderOf[i] = best;
	}

	// labels in order of each cluster's lowest point index
	const labels = new Int32Array(n).fill(-1);
	const idOfRoot = new Int32Array(n).fill(-1);
	let clusters = 0;
	for (let i = 0; i < n; i++) {
		const anchor = core[i] ? i : borderOf[i];
		if (anchor < 0) continue;
		const r = find(anchor);
		if (idOfRoot[r] < 0) idOfRoot[r] = clusters++;
		labels[i] = idOfRoot[r];
	}
	return { labels, core, clusters };
}

/** Renumbers labels 0, 1, … by first appearance (noise stays -1): equal partitions give equal arrays. */
export function canonicalLabels(labels: ArrayLike<number | null>): Int32Array {
	const out = new Int32Array(labels.length);
	const seen = new Map<number, number>();
	for (let i = 0; i < labels.length; i++) {
		const l = labels[i];
		if (l === null || l < 0) { out[i] = -1; continue; }
		if (!seen.has(l)) seen.set(l, seen.size);
		out[i] = seen.get(l)!;
	}
	return out;
}

export interface ClusterSummary { id: number; count: number; lon: number; lat: number; radiusM: number }

/** Centre (mean lon/lat) and radius (farthest member from the centre, metres) of each cluster. */
export function summarizeClusters(lonLat: ArrayLike<number>, xy: Float64Array, labels: Int32Array, clusters: number): ClusterSummary[] {
	const sum = new Float64Array(clusters * 4);
	const count = new Int32Array(clusters);
	for (let i = 0; i < labels.length; i++) {
		const c = labels[i];
		if (c < 0) continue;
		count[c]++;
		sum[4 * c] += lonLat[2 * i]; sum[4 * c + 1] += lonLat[2 * i + 1];
		sum[4 * c + 2] += xy[2 * i]; sum[4 * c + 3] += xy[2 * i + 1];
	}
	const radius = new Float64Array(clusters);
	for (let i = 0; i < labels.length; i++) {
		const c = labels[i];
		if (c < 0) continue;
		const d = Math.hypot(xy[2 * i] - sum[4 * c + 2] / count[c], xy[2 * i + 1] - sum[4 * c + 3] / count[c]);
		if (d > radius[c]) radius[c] = d;
	}
	return Array.from({ length: clusters }, (_, c) => ({
		id: c, count: count[c], lon: sum[4 * c] / count[c], lat: sum[4 * c + 1] / count[c], radiusM: Math.round(radius[c])
	}));
}
