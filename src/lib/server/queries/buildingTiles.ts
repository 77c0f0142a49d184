// Buildings (居民楼/院落) as Mapbox Vector Tiles for the base map at street zoom. The buildings
// table holds one point per building (no footprints), so a tile carries points with what the map
// draws and labels: name (小区+楼栋 or 村民组+门牌), kind, floors and the households it holds.
// PGlite's PostGIS has no protobuf support (ST_AsMVT fails there), so the rows are read in SQL
// and encoded here with MapLibre's own encoder, the same bytes on both back ends. Row-level
// security decides which buildings (and households counted) come back: a 网格员 gets their grids'.
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Database } from '../db/client';
import { BUILDING_TILE_LAYER, latToY, lonToX, tileBBox, type Tile } from '../../domain/tiles';
import { makeCached, mapCache, type Cached } from './cache';
import { scopeOf } from '../access/userdb';
import { versions } from './versions';
import { inTile } from './pointTiles';

/** Tile coordinate steps per side (the MVT default): ~0.3 m at zoom 15. */
export const MVT_EXTENT = 4096;

export interface BuildingRow {
	id: number;
	x: number;
	y: number;
	name: string;
	kind: string;
	floors: number;
	households: number;
}

async function rows(db: Database, tile: Tile): Promise<BuildingRow[]> {
	// the count is a correlated subquery on households_building_idx (0015); households' own
	// row-level security applies to it, so nobody learns how many live in a building they cannot see
	return db.sql<BuildingRow>`SELECT b.id, ST_X(b.geom) AS x, ST_Y(b.geom) AS y, b.name, b.kind, b.floors,
		       (SELECT count(*) FROM households h WHERE h.building_id = b.id)::int AS households
		FROM buildings b WHERE ${inTile(tileBBox(tile))} ORDER BY b.id`;
}

/** Encodes building points into one MVT layer, positions in tile coordinates. */
export function encodeBuildings(tile: Tile, list: BuildingRow[]): Uint8Array {
	const at = (v: number) => Math.max(0, Math.min(MVT_EXTENT - 1, Math.floor(v * MVT_EXTENT)));
	const features = list.map((b) => ({
		id: b.id,
		type: 1 as const,
		geometry: [[at(lonToX(b.x, tile.z) - tile.x), at(latToY(b.y, tile.z) - tile.y)]],
		tags: { name: b.name, kind: b.kind, floors: b.floors, households: b.households }
	}));
	return fromGeojsonVt({ [BUILDING_TILE_LAYER]: { features } as any }, { version: 2, extent: MVT_EXTENT });
}

/** The encoded tile for the current buildings version and this viewer's scope, from memory when built before. */
export async function buildingTile(db: Database, tile: Tile): Promise<{ cached: Cached<{ count: number }>; version: string }> {
	const version = (await versions(db)).buildings;
	const key = `buildings:${scopeOf(db)}:${tile.z}/${tile.x}/${tile.y}:${version}`;
	const cached = await mapCache.get(key, async () => {
		const list = await rows(db, tile);
		return makeCached(encodeBuildings(tile, list), 'application/vnd.mapbox-vector-tile', { count: list.length });
	});
	return { cached, version };
}
