// What the hotspot analyses read: grids with their households and neighbours (cached per grid
// version), the filtered points, and per-grid counts per period. Plain SQL on both back ends.
import { lastDays } from '../../domain/calendar';
import type { Queryable } from '../db/client';
import { systemOf } from '../access/userdb';
import type { HotspotFilter } from './filters';
import { and, sql, type Fragment } from '../db/sql';
import { DONE_SQL, HAZARD_RECTIFIED_SQL, HAZARD_UNRECTIFIED_SQL, OPEN_SQL } from '../db/fragments';

export interface GridInfo {
	code: string; name: string; street: string; streetName: string; community: string; setting: 'urban' | 'rural';
	households: number; lon: number; lat: number;
}
export interface GridSet { grids: GridInfo[]; index: Map<string, number>; neighbours: number[][] }

let cached: { key: string; value: Promise<GridSet> } | null = null;

export function gridSet(db: Queryable): Promise<GridSet> {
	// grids change only on a reseed/import: the count and a code checksum identify the set
	return (async () => {
		const [k] = await db.sql<{ n: number; h: string }>`SELECT count(*) AS n, md5(string_agg(code, ',' ORDER BY code)) AS h FROM grids`;
		const key = `${k.n}:${k.h}`;
		// population denominators are not anyone's personal data: counted over every grid
		if (cached?.key !== key) cached = { key, value: loadGridSet(systemOf(db)) };
		return cached.value;
	})();
}

async function loadGridSet(db: Queryable): Promise<GridSet> {
	const grids = await db.sql<GridInfo>`
		SELECT g.code, g.name, s.code AS street, s.name AS "streetName", c.name AS community, c.setting,
		       (SELECT count(*) FROM households h WHERE h.grid_code = g.code) AS households,
		       ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat
		FROM grids g JOIN areas c ON c.code = g.community_code JOIN areas s ON s.code = c.parent_code ORDER BY g.code`;
	const index = new Map(grids.map((g, i) => [g.code, i]));
	// queen contiguity: grids sharing an edge or a corner
	const pairs = await db.sql<{ a: string; b: string }>`
		SELECT a.code AS a, b.code AS b FROM grids a JOIN grids b ON a.code < b.code AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)`;
	const neighbours: number[][] = grids.map(() => []);
	for (const { a, b } of pairs) {
		const i = index.get(a)!, j = index.get(b)!;
		neighbours[i].push(j); neighbours[j].push(i);
	}
	return { grids, index, neighbours };
}

/** The conditions for the filter's rows (requests or hazards, as `t`) in [from, to). */
function where(f: HotspotFilter, from: Date, to: Date): Fragment {
	const w: Fragment[] = [];
	if (f.source === 'requests') {
		w.push(sql`t.reported_at >= ${from} AND t.reported_at < ${to}`);
		if (f.category) w.push(sql`(t.category_code = ${f.category} OR t.category_code LIKE ${f.category} || '.%')`);
		if (f.status === 'open') w.push(sql`t.status IN ${OPEN_SQL}`);
		if (f.status === 'closed') w.push(sql`t.status IN ${DONE_SQL}`);
	} else {
		w.push(sql`t.found_at >= ${from} AND t.found_at < ${to}`);
		if (f.category) w.push(sql`t.type = ${f.category}`);
		if (f.status === 'open') w.push(sql`t.status IN ${HAZARD_UNRECTIFIED_SQL}`);
		if (f.status === 'closed') w.push(sql`t.status IN ${HAZARD_RECTIFIED_SQL}`);
	}
	return and(w);
}

const table = (f: HotspotFilter) => (f.source === 'requests' ? sql`requests` : sql`hazards`);

export interface Points { lonLat: Float64Array; grid: Int32Array; ids: number[] }

export async function loadPoints(db: Queryable, f: HotspotFilter, set: GridSet, now: Date): Promise<Points> {
	const w = where(f, lastDays(f.days, now).from, now); // 近 N 天: Beijing calendar days
	const rows = await db.sql<{ id: number; x: number; y: number; g: string }>`
		SELECT t.id, ST_X(t.geom) AS x, ST_Y(t.geom) AS y, t.grid_code AS g FROM ${table(f)} t WHERE ${w} ORDER BY t.id`;
	const lonLat = new Float64Array(rows.length * 2);
	const grid = new Int32Array(rows.length);
	rows.forEach((r, i) => { lonLat[2 * i] = r.x; lonLat[2 * i + 1] = r.y; grid[i] = set.index.get(r.g) ?? -1; });
	return { lonLat, grid, ids: rows.map((r) => r.id) };
}

/** Counts per grid for each of `f.periods` periods of `f.days` days ending now: result[p][i], oldest period first. */
export async function periodCounts(db: Queryable, f: HotspotFilter, set: GridSet, now: Date): Promise<Float64Array[]> {
	const span = f.days * 86_400_000;
	const w = where(f, new Date(now.getTime() - f.periods * span), now);
	const col = f.source === 'requests' ? sql`t.reported_at` : sql`t.found_at`;
	const rows = await db.sql<{ g: string; k: number; n: number }>`
		SELECT t.grid_code AS g, floor(extract(epoch FROM (${now}::timestamptz - ${col})) / ${f.days * 86400})::int AS k, count(*) AS n
		 FROM ${table(f)} t WHERE ${w} GROUP BY 1, 2`;
	const out = Array.from({ length: f.periods }, () => new Float64Array(set.grids.length));
	for (const r of rows) {
		const i = set.index.get(r.g);
		const p = f.periods - 1 - r.k;
		if (i !== undefined && p >= 0 && p < f.periods) out[p][i] += r.n;
	}
	return out;
}
