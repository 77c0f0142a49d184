// Households, hazards and open requests as binary point tiles (see domain/pointcodec.ts). One
// query per tile, rows in id order and the codec's sort is deterministic, so a (tile, index)
// pair names the same row until the layer's data version changes.
import type { Database } from '../db/client';
import { encodePoints, type PointLayer } from '../../domain/pointcodec';
import { packHazard, packHousehold, packRequest, visitClass } from '../../domain/pointattrs';
import { POINT_TILE_ZOOM, tileBBox, tilesCovering, type BBox, type Tile } from '../../domain/tiles';
import { makeCached, mapCache, type Cached } from './cache';
import { scopeOf } from '../access/userdb';
import { versions } from './versions';
import { sql, type Fragment } from '../db/sql';
import { HAZARD_NOT_CLOSED_SQL, hazardOverdueSql, NOW, OPEN_SQL, overdueSql } from '../db/fragments';

export interface TileMeta {
	ids: Int32Array;
	count: number;
}

interface PointRow {
	id: number;
	x: number;
	y: number;
	a: number;
}

// Rows inside a tile's [west, south, east, north]; edges are half-open so a point on a boundary
// belongs to exactly one tile. Exported so the benchmark times the same SELECT bare.
// No ORDER BY: rows() sorts by id (see there).
export const inTile = ([w, s, e, n]: BBox) => sql`geom && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)
	AND ST_X(geom) >= ${w} AND ST_X(geom) < ${e} AND ST_Y(geom) > ${s} AND ST_Y(geom) <= ${n}`;
export const tileSql = (layer: PointLayer, bbox: BBox): Fragment => {
	switch (layer) {
		case 'households':
			return sql`SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y, tags, last_visit_at AS v FROM households
		WHERE ${inTile(bbox)}`;
		// 未销号 hazards only: verified ones are closed and would bury the live ones
		case 'hazards':
			return sql`SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y, severity, status,
		       ${hazardOverdueSql(NOW, '')} AS overdue
		FROM hazards WHERE status IN ${HAZARD_NOT_CLOSED_SQL} AND ${inTile(bbox)}`;
		case 'requests':
			return sql`SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y, status, priority,
		       ${overdueSql(NOW, '')} AS overdue
		FROM requests WHERE status IN ${OPEN_SQL} AND ${inTile(bbox)}`;
	}
};

async function rows(db: Database, layer: PointLayer, tile: Tile): Promise<PointRow[]> {
	// id order here rather than ORDER BY id: the densest tile's 80 000 rows (200 000 households)
	// spilled PostgreSQL's sort to disk, while the scan returns them nearly in id order already,
	// which JavaScript's merge sort finishes in one pass
	const r = (await db.run<any>(tileSql(layer, tileBBox(tile)))).sort((a, b) => a.id - b.id);
	if (layer === 'households') {
		const now = new Date();
		return r.map((h) => ({ id: h.id, x: h.x, y: h.y, a: packHousehold(h.tags, visitClass(h.v && new Date(h.v), now)) }));
	}
	if (layer === 'hazards') return r.map((h) => ({ id: h.id, x: h.x, y: h.y, a: packHazard(h.severity, h.status, h.overdue) }));
	return r.map((q) => ({ id: q.id, x: q.x, y: q.y, a: packRequest(q.status, q.overdue, q.priority === 'urgent') }));
}

/** The encoded tile for the layer's current data version, from memory when built before. */
export async function pointTile(db: Database, layer: PointLayer, tile: Tile): Promise<{ cached: Cached<TileMeta>; version: string }> {
	const version = (await versions(db))[layer];
	const key = `tile:${scopeOf(db)}:${layer}:${tile.z}/${tile.x}/${tile.y}:${version}`;
	const cached = await mapCache.get(key, async () => {
		const r = await rows(db, layer, tile);
		const n = r.length;
		const [lons, lats, attrs] = [new Float64Array(n), new Float64Array(n), new Uint8Array(n)];
		for (let i = 0; i < n; i++) [lons[i], lats[i], attrs[i]] = [r[i].x, r[i].y, r[i].a];
		const { bytes, order } = encodePoints(layer, tile, lons, lats, attrs);
		const ids = Int32Array.from(order, (i) => r[i].id);
		return makeCached(bytes, 'application/octet-stream', { ids, count: n });
	});
	return { cached, version };
}

/**
 * Starts building the tiles that cover bbox (the district view) without waiting for them: the
 * page's own tile requests then join builds already under way instead of queueing ~4 s of
 * PGlite work behind the page load. Small layers first, so their points show early.
 */
export function warmPointTiles(db: Database, bbox: BBox): void {
	const tiles = tilesCovering(bbox, POINT_TILE_ZOOM, 64);
	for (const layer of ['requests', 'hazards', 'households'] as const)
		for (const t of tiles) pointTile(db, layer, t).catch((e) => console.error('[tiles] warm-up failed:', e));
}
