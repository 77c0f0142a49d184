// Households, hazards and open requests as binary point tiles (see domain/pointcodec.ts). One
// query per tile, rows in id order and the codec's sort is deterministic, so a (tile, index)
// pair names the same row until the layer's data version changes.
import type { Database } from '../db/client';
import { encodePoints, type PointLayer } from '../../domain/pointcodec';
import { packHazard, packHousehold, packRequest, visitClass } from '../../domain/pointattrs';
import { tileBBox, type BBox, type Tile } from '../../domain/tiles';
import { makeCached, mapCache, type Cached } from './cache';
import { scopeOf } from '../access/userdb';
import { versions } from './versions';
import { sql, type Fragment } from '../db/sql';
import { HAZARD_NOT_CLOSED_SQL, hazardOverdueSql, NOW, OPEN_SQL, overdueSql } from '../db/fragments';

export interface TileMeta {
	ids: Int32Array;
	count: number;
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

/** A tile's rows as columns, in id order: what the codec takes. */
interface Columns {
	ids: Int32Array;
	lons: Float64Array;
	lats: Float64Array;
	attrs: Uint8Array;
}

/**
 * The tile's rows as typed columns in id order, in one pass and without an object per row: the
 * densest tile has 40 000–80 000 rows, and building objects, sorting them with a comparator and
 * copying them again cost as much as the SELECT itself (issue 18: API 2.1× its bare SQL).
 */
async function columns(db: Database, layer: PointLayer, tile: Tile): Promise<Columns> {
	const r = await db.run<any>(tileSql(layer, tileBBox(tile)));
	const n = r.length;
	// id order without ORDER BY (the densest tile's sort spilled PostgreSQL to disk): ids and
	// positions packed into one float each (ids < 2^31, n < 2^21: exact in 53 bits), sorted as
	// numbers by the typed array's own sort, no comparator
	const keys = new Float64Array(n);
	for (let i = 0; i < n; i++) keys[i] = r[i].id * 2 ** 21 + i;
	keys.sort();
	const out: Columns = { ids: new Int32Array(n), lons: new Float64Array(n), lats: new Float64Array(n), attrs: new Uint8Array(n) };
	const now = new Date();
	for (let k = 0; k < n; k++) {
		const h = r[keys[k] % 2 ** 21];
		out.ids[k] = h.id;
		out.lons[k] = h.x;
		out.lats[k] = h.y;
		out.attrs[k] =
			layer === 'households'
				? packHousehold(h.tags, visitClass(h.v == null ? null : h.v instanceof Date ? h.v : new Date(h.v), now))
				: layer === 'hazards'
					? packHazard(h.severity, h.status, h.overdue)
					: packRequest(h.status, h.overdue, h.priority === 'urgent');
	}
	return out;
}

/** The encoded tile for the layer's current data version, from memory when built before. */
export async function pointTile(db: Database, layer: PointLayer, tile: Tile): Promise<{ cached: Cached<TileMeta>; version: string }> {
	const version = (await versions(db))[layer];
	const key = `tile:${scopeOf(db)}:${layer}:${tile.z}/${tile.x}/${tile.y}:${version}`;
	const cached = await mapCache.get(key, async () => {
		const c = await columns(db, layer, tile);
		const n = c.ids.length;
		const { bytes, order } = encodePoints(layer, tile, c.lons, c.lats, c.attrs);
		const ids = new Int32Array(n);
		for (let i = 0; i < n; i++) ids[i] = c.ids[order[i]];
		return makeCached(bytes, 'application/octet-stream', { ids, count: n });
	});
	return { cached, version };
}
