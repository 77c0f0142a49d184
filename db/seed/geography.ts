// The land of the demo district, in metres east (x) and north (y) of its centre: an irregular
// outline, a river, two reservoirs, an urban core, and ~600 grid cells that tile it (Voronoi cells
// of jittered seeds, so neighbouring cells share exact vertices and tile without gaps). Streets,
// communities and the district are unions of grid cells, so every level tiles the one above.
import { Delaunay } from 'd3-delaunay';
import type { Random } from '../../src/lib/domain/random';
import { COMMUNITY_WORDS, DISTRICT, LOCAL_ROAD_WORDS, RURAL_TOWNS, URBAN_STREETS, VILLAGE_FIRST, VILLAGE_LAST } from './catalog';

export type XY = [number, number];
export type Setting = 'urban' | 'rural';

export interface Street { index: number; code: string; name: string; setting: Setting; center: XY }
export interface Community { index: number; street: number; code: string; name: string; setting: Setting; center: XY }
export interface GridCell { index: number; community: number; code: string; name: string; setting: Setting; seed: XY; ring: XY[] }
export interface Road { kind: 'road_arterial' | 'road_local'; name: string | null; line: XY[] }

export const CORE = { center: [800, 900] as XY, radius: 4200 };
const HALF_X = 13_000; // m, district half-width before the wobble
const HALF_Y = 9_500;
const URBAN_SPACING = 400; // m between urban grid seeds → ~350 urban grids
const RURAL_SPACING = 1_160; // m → ~250 rural grids
const COMMUNITIES_PER_STREET = { urban: 12, rural: 8 };

export interface Geography {
	toLonLat(p: XY): XY;
	inside(p: XY): boolean;
	inWater(p: XY, margin?: number): boolean;
	/** grid index whose cell contains p, or -1 outside the district */
	gridAt(p: XY, hint?: number): number;
	river: { line: XY[]; halfWidth: number[] };
	lakes: XY[][];
	streets: Street[];
	communities: Community[];
	grids: GridCell[];
	roads: Road[];
}

export function buildGeography(rng: Random): Geography {
	const wobble = [rng.range(0, 6.3), rng.range(0, 6.3), rng.range(0, 6.3)];
	const radiusAt = (theta: number) =>
		1 + 0.1 * Math.sin(3 * theta + wobble[0]) + 0.06 * Math.sin(5 * theta + wobble[1]) + 0.04 * Math.sin(8 * theta + wobble[2]);
	const inside = ([x, y]: XY) => {
		const theta = Math.atan2(y / HALF_Y, x / HALF_X);
		return Math.hypot(x / HALF_X, y / HALF_Y) < radiusAt(theta);
	};

	const river = makeRiver();
	const lakeSpecs: { center: XY; radius: number }[] = [
		{ center: [-8200, 4300], radius: 650 },
		{ center: [7600, -5600], radius: 520 }
	];
	const lakes = lakeSpecs.map((l) => circle(l.center, l.radius, rng, 28));
	// the lake outline wobbles by up to 15 %, so keep clear of the widest point
	const inWater = (p: XY, margin = 25) =>
		distanceToRiver(river, p) < margin || lakeSpecs.some((l) => dist(p, l.center) < l.radius * 1.15 + margin);

	// Seeds: a dense jittered lattice in the core, a sparse one elsewhere. Seeds outside the outline
	// stay in the diagram (so border cells are bounded) but are not grids.
	const seeds: XY[] = [];
	const setting: (Setting | null)[] = [];
	for (let y = -HALF_Y * 1.4; y <= HALF_Y * 1.4; y += RURAL_SPACING) {
		for (let x = -HALF_X * 1.4; x <= HALF_X * 1.4; x += RURAL_SPACING) {
			const p: XY = [x + rng.range(-0.3, 0.3) * RURAL_SPACING, y + rng.range(-0.3, 0.3) * RURAL_SPACING];
			if (dist(p, CORE.center) < CORE.radius + RURAL_SPACING * 0.35) continue;
			seeds.push(p);
			setting.push(inside(p) ? 'rural' : null);
		}
	}
	for (let y = -CORE.radius; y <= CORE.radius; y += URBAN_SPACING) {
		for (let x = -CORE.radius; x <= CORE.radius; x += URBAN_SPACING) {
			const p: XY = [CORE.center[0] + x + rng.range(-0.3, 0.3) * URBAN_SPACING, CORE.center[1] + y + rng.range(-0.3, 0.3) * URBAN_SPACING];
			if (dist(p, CORE.center) >= CORE.radius || !inside(p)) continue;
			seeds.push(p);
			setting.push('urban');
		}
	}
	const delaunay = Delaunay.from(seeds);
	const voronoi = delaunay.voronoi([-HALF_X * 1.6, -HALF_Y * 1.6, HALF_X * 1.6, HALF_Y * 1.6]);

	const gridSeeds = seeds.map((p, i) => ({ p, i, setting: setting[i] })).filter((s) => s.setting);
	const streets = makeStreets();
	const streetOf = gridSeeds.map((s) => streetIndexOf(s.p, s.setting!));
	const { communities, communityOf } = makeCommunities(gridSeeds.map((s) => s.p), streetOf, streets, rng);

	// Grid codes: reading order (north→south rows, west→east) inside each community.
	const grids: GridCell[] = [];
	const gridOfSeed = new Int32Array(seeds.length).fill(-1);
	for (const community of communities) {
		const members = gridSeeds.map((s, k) => ({ ...s, k })).filter((s) => communityOf[s.k] === community.index);
		readingOrder(members, (m) => m.p).forEach((m, n) => {
			const index = grids.length;
			gridOfSeed[m.i] = index;
			grids.push({
				index,
				community: community.index,
				code: community.code + String(n + 1).padStart(3, '0'),
				name: `${community.name}第${n + 1}网格`,
				setting: m.setting!,
				seed: m.p,
				ring: roundRing(voronoi.cellPolygon(m.i) as XY[])
			});
		});
	}

	const lon0 = DISTRICT.center[0];
	const lat0 = DISTRICT.center[1];
	const mPerDegLon = 111_320 * Math.cos((lat0 * Math.PI) / 180);
	const mPerDegLat = 110_574;
	return {
		toLonLat: ([x, y]) => [round7(lon0 + x / mPerDegLon), round7(lat0 + y / mPerDegLat)],
		inside,
		inWater,
		gridAt: (p, hint = 0) => gridOfSeed[delaunay.find(p[0], p[1], Math.max(0, hint))] ?? -1,
		river,
		lakes,
		streets,
		communities,
		grids,
		roads: makeRoads(streets, communities, river, inside, rng)
	};

	function streetIndexOf(p: XY, s: Setting): number {
		if (s === 'urban') return sector(p, CORE.center, 4, 0.35);
		return 4 + sector(p, [0, 0], 4, 1.1);
	}
}

function sector(p: XY, c: XY, n: number, rotation: number): number {
	const a = (Math.atan2(p[1] - c[1], p[0] - c[0]) + rotation + 4 * Math.PI) % (2 * Math.PI);
	return Math.floor((a / (2 * Math.PI)) * n) % n;
}

/** Four urban 街道 (sectors of the core) and four rural 镇 (sectors of the rest). */
function makeStreets(): Street[] {
	return [...URBAN_STREETS, ...RURAL_TOWNS].map((name, index) => ({
		index, code: '', name, setting: index < 4 ? 'urban' : 'rural', center: [0, 0] as XY
	}));
}

function makeCommunities(points: XY[], streetOf: number[], streets: Street[], rng: Random) {
	const communityOf = new Int32Array(points.length).fill(-1);
	const communities: Community[] = [];
	const villageNames = uniqueVillageNames(rng);
	const urbanNames = shuffle([...COMMUNITY_WORDS], rng);
	// Streets take codes in reading order of their seeds' centroids.
	for (const st of streets) st.center = centroid(points.filter((_, k) => streetOf[k] === st.index));
	const orderedStreets = readingOrder([...streets], (s) => s.center);
	orderedStreets.forEach((st, n) => (st.code = DISTRICT.code + String(n + 1).padStart(3, '0')));

	for (const st of orderedStreets) {
		const members = points.map((p, k) => ({ p, k })).filter((m) => streetOf[m.k] === st.index);
		const count = Math.min(COMMUNITIES_PER_STREET[st.setting], Math.max(1, Math.floor(members.length / 3)));
		const centers = kMeans(members.map((m) => m.p), count, rng);
		const assign = members.map((m) => nearest(m.p, centers));
		const local: Community[] = centers.map((c, j) => ({
			index: -1, street: st.index, code: '', center: c, setting: st.setting,
			name: st.setting === 'urban' ? `${urbanNames.pop()}社区` : `${villageNames.pop()}村`,
			_j: j
		} as Community & { _j: number }));
		readingOrder(local, (c) => c.center).forEach((c, n) => {
			c.index = communities.length;
			c.code = st.code + String(n + 1).padStart(3, '0');
			communities.push(c);
		});
		members.forEach((m, t) => (communityOf[m.k] = local[assign[t]].index));
	}
	return { communities, communityOf };
}

/** A few Lloyd iterations from farthest-point starts: compact communities of similar size. */
function kMeans(points: XY[], k: number, rng: Random): XY[] {
	const centers: XY[] = [points[rng.int(0, points.length - 1)]];
	while (centers.length < k) {
		let best = points[0];
		let bestD = -1;
		for (const p of points) {
			const d = Math.min(...centers.map((c) => dist(p, c)));
			if (d > bestD) [best, bestD] = [p, d];
		}
		centers.push(best);
	}
	for (let iter = 0; iter < 8; iter++) {
		const sums = centers.map(() => [0, 0, 0]);
		for (const p of points) {
			const j = nearest(p, centers);
			sums[j][0] += p[0];
			sums[j][1] += p[1];
			sums[j][2]++;
		}
		sums.forEach((s, j) => s[2] && (centers[j] = [s[0] / s[2], s[1] / s[2]]));
	}
	return centers;
}

function makeRiver(): { line: XY[]; halfWidth: number[] } {
	const line: XY[] = [];
	const halfWidth: number[] = [];
	for (let x = -HALF_X * 1.5; x <= HALF_X * 1.5; x += 150) {
		const y = -300 + 1500 * Math.sin(x / 5200 + 0.7) + 450 * Math.sin(x / 1900);
		line.push([x, y]);
		halfWidth.push(dist([x, y], CORE.center) < CORE.radius ? 150 : 95);
	}
	return { line, halfWidth };
}

/** Distance from p to the river bank (negative inside the water). */
export function distanceToRiver(river: { line: XY[]; halfWidth: number[] }, p: XY): number {
	let best = Infinity;
	for (let i = 0; i + 1 < river.line.length; i++) {
		const d = segmentDistance(p, river.line[i], river.line[i + 1]) - river.halfWidth[i];
		if (d < best) best = d;
	}
	return best;
}

/** The river as a polygon: the centre line offset by its half-width on both sides. */
export function riverPolygon(river: { line: XY[]; halfWidth: number[] }): XY[] {
	const left: XY[] = [];
	const right: XY[] = [];
	const n = river.line.length;
	for (let i = 0; i < n; i++) {
		const a = river.line[Math.max(0, i - 1)];
		const b = river.line[Math.min(n - 1, i + 1)];
		const len = dist(a, b);
		const nx = -(b[1] - a[1]) / len;
		const ny = (b[0] - a[0]) / len;
		const [x, y] = river.line[i];
		left.push([x + nx * river.halfWidth[i], y + ny * river.halfWidth[i]]);
		right.push([x - nx * river.halfWidth[i], y - ny * river.halfWidth[i]]);
	}
	return [...left, ...right.reverse(), left[0]];
}

function makeRoads(streets: Street[], communities: Community[], river: { line: XY[] }, inside: (p: XY) => boolean, rng: Random): Road[] {
	const raw: Road[] = [];
	const ring: XY[] = [];
	for (let a = 0; a <= 2 * Math.PI + 0.01; a += Math.PI / 36) {
		const r = CORE.radius * 0.72 * (1 + 0.05 * Math.sin(3 * a));
		ring.push([CORE.center[0] + r * Math.cos(a), CORE.center[1] + r * Math.sin(a)]);
	}
	raw.push({ kind: 'road_arterial', name: '环城路', line: ring });
	raw.push({ kind: 'road_arterial', name: '滨江大道', line: river.line.map(([x, y]) => [x, y + 420] as XY) });
	raw.push({ kind: 'road_arterial', name: '人民路', line: [[CORE.center[0], -HALF_Y * 1.3], [CORE.center[0] + 300, HALF_Y * 1.3]] });
	streets.filter((s) => s.setting === 'rural').forEach((town, i) => {
		const mid: XY = [(town.center[0] + CORE.center[0]) / 2 + rng.range(-600, 600), (town.center[1] + CORE.center[1]) / 2 + rng.range(-600, 600)];
		raw.push({ kind: 'road_arterial', name: ['白沙路', '桃源路', '青山路', '金田路'][i], line: [CORE.center, mid, town.center, [town.center[0] * 1.8, town.center[1] * 1.8]] });
	});
	// Urban block lattice, and lanes from each village to its town.
	// Names go by position (north→south for 路, west→east for 街; a village's lane after the
	// village), never from rng: the random stream, and so every other seeded figure, is unchanged.
	const step = 450;
	const { eastWest, northSouth } = LOCAL_ROAD_WORDS;
	const lines = Math.floor((2 * CORE.radius) / step) + 1;
	for (let d = -CORE.radius, k = 0; d <= CORE.radius; d += step, k++) {
		const jitter = rng.range(-60, 60);
		raw.push({ kind: 'road_local', name: `${eastWest[(lines - 1 - k) % eastWest.length]}路`, line: [[CORE.center[0] - CORE.radius, CORE.center[1] + d + jitter], [CORE.center[0] + CORE.radius, CORE.center[1] + d - jitter]] });
		raw.push({ kind: 'road_local', name: `${northSouth[k % northSouth.length]}街`, line: [[CORE.center[0] + d + jitter, CORE.center[1] - CORE.radius], [CORE.center[0] + d - jitter, CORE.center[1] + CORE.radius]] });
	}
	for (const v of communities.filter((c) => c.setting === 'rural')) {
		const town = streets[v.street];
		raw.push({ kind: 'road_local', name: `${v.name.replace(/村$/, '')}路`, line: [v.center, [(v.center[0] + town.center[0]) / 2 + rng.range(-300, 300), (v.center[1] + town.center[1]) / 2 + rng.range(-300, 300)], town.center] });
	}
	const keep = (p: XY, r: Road) => inside(p) && (r.kind === 'road_arterial' || r.line.length === 3 || dist(p, CORE.center) < CORE.radius);
	return raw.flatMap((r) => clipLine(densify(r.line, 80), (p) => keep(p, r)).map((line) => ({ ...r, line })));
}

function densify(line: XY[], step: number): XY[] {
	const out: XY[] = [line[0]];
	for (let i = 1; i < line.length; i++) {
		const [a, b] = [line[i - 1], line[i]];
		const n = Math.max(1, Math.ceil(dist(a, b) / step));
		for (let k = 1; k <= n; k++) out.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
	}
	return out;
}

function clipLine(line: XY[], keep: (p: XY) => boolean): XY[][] {
	const runs: XY[][] = [];
	let run: XY[] = [];
	for (const p of line) {
		if (keep(p)) run.push(p);
		else if (run.length) (run.length > 1 && runs.push(run), (run = []));
	}
	if (run.length > 1) runs.push(run);
	return runs;
}

function circle(c: XY, r: number, rng: Random, n: number): XY[] {
	const ring: XY[] = [];
	for (let i = 0; i < n; i++) {
		const a = (2 * Math.PI * i) / n;
		const rr = r * (1 + 0.15 * Math.sin(3 * a + rng.range(0, 1)));
		ring.push([c[0] + rr * Math.cos(a), c[1] + rr * Math.sin(a)]);
	}
	ring.push(ring[0]);
	return ring;
}

/** North→south rows of about √n items, west→east inside each row (GB/T 30428.1 numbering). */
export function readingOrder<T>(items: T[], at: (t: T) => XY): T[] {
	const byNorth = [...items].sort((a, b) => at(b)[1] - at(a)[1]);
	const perRow = Math.max(1, Math.round(Math.sqrt(items.length)));
	const out: T[] = [];
	for (let i = 0; i < byNorth.length; i += perRow) out.push(...byNorth.slice(i, i + perRow).sort((a, b) => at(a)[0] - at(b)[0]));
	return out;
}

function uniqueVillageNames(rng: Random): string[] {
	const names = new Set<string>();
	for (const a of VILLAGE_FIRST) for (const b of VILLAGE_LAST) names.add(a + b);
	return shuffle([...names], rng);
}

function shuffle<T>(items: T[], rng: Random): T[] {
	for (let i = items.length - 1; i > 0; i--) {
		const j = rng.int(0, i);
		[items[i], items[j]] = [items[j], items[i]];
	}
	return items;
}

function nearest(p: XY, centers: XY[]): number {
	let best = 0;
	for (let j = 1; j < centers.length; j++) if (dist(p, centers[j]) < dist(p, centers[best])) best = j;
	return best;
}

function centroid(points: XY[]): XY {
	const s = points.reduce((acc, p) => [acc[0] + p[0], acc[1] + p[1]], [0, 0]);
	return [s[0] / points.length, s[1] / points.length];
}

export function dist(a: XY, b: XY): number {
	return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function segmentDistance(p: XY, a: XY, b: XY): number {
	const dx = b[0] - a[0];
	const dy = b[1] - a[1];
	const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
	return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

// Cells share vertices exactly; rounding every vertex the same way keeps them shared.
function roundRing(ring: XY[]): XY[] {
	return ring.map(([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100]);
}

function round7(v: number): number {
	return Math.round(v * 1e7) / 1e7;
}
