// Map-data figures for the district view: what the first view of the whole district sends
// (binary point tiles at POINT_TILE_ZOOM, grid polygons, base map), raw and gzipped, and how long
// a tile takes to build cold and to serve from the cache. The browser suite measures the same view
// over HTTP (tests/e2e/map.e2e.mjs → test-results/map-bytes.json).
import { seedDemoDistrict } from '../../db/seed/ensure';
import { openPglite } from '../../src/lib/server/db';
import { migrate } from '../../src/lib/server/migrate';
import { LAYERS } from '../../src/lib/domain/pointcodec';
import { POINT_TILE_ZOOM, tilesCovering, type BBox } from '../../src/lib/domain/tiles';
import { basemapGeojson } from '../../src/lib/server/queries/basemap';
import { gridsGeojson } from '../../src/lib/server/queries/grids';
import { pointTile } from '../../src/lib/server/queries/pointTiles';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export async function benchTiles(households: number, print: (line: string) => void) {
	const db = await openPglite();
	await migrate(db);
	await seedDemoDistrict(db, { households, now: new Date('2026-11-21T00:00:00+08:00') });
	const [b] = await db.sql<{ w: number; s: number; e: number; n: number }>`SELECT ST_XMin(geom) w, ST_YMin(geom) s, ST_XMax(geom) e, ST_YMax(geom) n FROM areas WHERE level = 'district'`;
	const tiles = tilesCovering([b.w, b.s, b.e, b.n] as BBox, POINT_TILE_ZOOM);
	let [raw, gz] = [0, 0];
	for (const layer of LAYERS) {
		let [lr, lg, points, cold, warm] = [0, 0, 0, 0, 0];
		for (const tile of tiles) {
			let t = performance.now();
			const { cached } = await pointTile(db, layer, tile);
			cold += performance.now() - t;
			t = performance.now();
			await pointTile(db, layer, tile);
			warm += performance.now() - t;
			[lr, lg, points] = [lr + cached.body.byteLength, lg + cached.gzip.byteLength, points + cached.meta.count];
		}
		print(`${layer}: ${points.toLocaleString()} points in ${tiles.length} tiles (z${POINT_TILE_ZOOM}): ${kb(lr)} raw, ${kb(lg)} gzip (${(lg / Math.max(1, points)).toFixed(2)} B/point); build ${cold.toFixed(0)} ms cold, ${warm.toFixed(1)} ms cached`);
		[raw, gz] = [raw + lr, gz + lg];
	}
	for (const [name, doc] of [['grids', await gridsGeojson(db)], ['basemap', await basemapGeojson(db)]] as const) {
		print(`${name} GeoJSON: ${kb(doc.body.byteLength)} raw, ${kb(doc.gzip.byteLength)} gzip`);
		[raw, gz] = [raw + doc.body.byteLength, gz + doc.gzip.byteLength];
	}
	print(`district view, map data: ${kb(raw)} raw, ${kb(gz)} gzip (GeoJSON of the households alone would be ~${kb(households * 95)})`);
	await db.close();
}
