// Map-data figures on a seeded database: tile latency through the server's own code path
// (pointTile: SELECT → binary encoding → gzip → ETag, cache cleared = cold; then served from the
// cache) against the bare SELECT it runs (tileSql, same parameters, rows fetched and dropped),
// for every z12 tile over the district, two to four times over (each tile's cold and bare calls
// counted per pass; the figures' names give the tiles, not the calls); grid statistics the same way; and the bytes a 1280×800
// view sends at district, street and grid zoom (MapLibre's fitBounds with 24 px padding on the
// area; the densest street and grid, the worst case) against the points actually inside it.
import type { Db } from '../../src/lib/server/db/client';
import { LAYERS } from '../../src/lib/domain/pointcodec';
import { latToY, lonToX, POINT_TILE_ZOOM, tileBBox, tilesCovering, xToLon, yToLat, type BBox } from '../../src/lib/domain/tiles';
import { mapCache } from '../../src/lib/server/queries/cache';
import { asUser } from '../../src/lib/server/access/userdb';
import { basemapGeojson } from '../../src/lib/server/queries/basemap';
import { gridCountsSql, gridsGeojson, gridStats } from '../../src/lib/server/queries/grids';
import { pointTile, tileSql } from '../../src/lib/server/queries/pointTiles';
import { versions } from '../../src/lib/server/queries/versions';
import { p50, p95, timed, type Figures } from './report';
import { drawsPoints, pointTileZoom } from '../../src/lib/domain/aggregates';
import { AGGREGATES_SQL, gridAggregates } from '../../src/lib/server/queries/aggregates';

const W = 1280, H = 800, PAD = 24, TILE_PX = 512;

/** The zoom and bbox MapLibre shows after fitBounds(bbox, {padding}) in a W×H canvas. */
export function fitView([w, s, e, n]: BBox): { zoom: number; bbox: BBox } {
	const dx = (lonToX(e, 0) - lonToX(w, 0)) * TILE_PX, dy = (latToY(s, 0) - latToY(n, 0)) * TILE_PX;
	const zoom = Math.log2(Math.min((W - 2 * PAD) / dx, (H - 2 * PAD) / dy));
	const cx = (lonToX(w, zoom) + lonToX(e, zoom)) / 2, cy = (latToY(n, zoom) + latToY(s, zoom)) / 2;
	const hx = W / 2 / TILE_PX, hy = H / 2 / TILE_PX;
	return { zoom, bbox: [xToLon(cx - hx, zoom), yToLat(cy + hy, zoom), xToLon(cx + hx, zoom), yToLat(cy - hy, zoom)] };
}

/** The W×H view centred on bbox's centre at map zoom z. */
function viewAt([w, s, e, n]: BBox, zoom: number): { zoom: number; bbox: BBox } {
	const cx = (lonToX(w, zoom) + lonToX(e, zoom)) / 2, cy = (latToY(n, zoom) + latToY(s, zoom)) / 2;
	const hx = W / 2 / TILE_PX, hy = H / 2 / TILE_PX;
	return { zoom, bbox: [xToLon(cx - hx, zoom), yToLat(cy + hy, zoom), xToLon(cx + hx, zoom), yToLat(cy - hy, zoom)] };
}

const BBOX_SQL = `ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n`;
type Box = { w: number; s: number; e: number; n: number };
const box = (b: Box): BBox => [b.w, b.s, b.e, b.n];

export async function benchTiles(db: Db, figures: Figures, print: (line: string) => void) {
	mapCache.clear();
	const [district] = await db.query<Box>(`SELECT ${BBOX_SQL} FROM areas WHERE level = 'district'`);
	const [street] = await db.query<Box & { code: string }>(`SELECT a.code, ${BBOX_SQL.replace(/geom/g, 'a.geom')} FROM areas a
		WHERE a.level = 'street' ORDER BY (SELECT count(*) FROM households h WHERE h.grid_code LIKE a.code || '%') DESC LIMIT 1`);
	const [grid] = await db.query<Box & { code: string }>(`SELECT g.code, ${BBOX_SQL.replace(/geom/g, 'g.geom')} FROM grids g
		ORDER BY (SELECT count(*) FROM households h WHERE h.grid_code = g.code) DESC LIMIT 1`);

	// versions(): the fingerprint every map request checks (recomputed at most every 15 s)
	const fp: number[] = [];
	for (let i = 0; i < 3; i++) fp.push((await timed(() => versions(db, Date.now() + (i + 1) * 60_000)))[1]);
	figures.set('versions() fingerprint (every 15 s), ms p50', p50(fp));

	const tiles = tilesCovering(box(district), POINT_TILE_ZOOM);
	// passes per layer: the 1–15 ms hazard and request tiles need the most samples; a dense
	// households tile takes seconds at 1 000 000 households (on PGlite 4 passes took 5 minutes)
	const ROUNDS: Record<(typeof LAYERS)[number], number> = { households: 2, hazards: 4, requests: 4 };
	// the server runs each request as its user under row-level security (0007): a district leader here
	const [leader] = await db.query<{ id: number; role: string }>(`SELECT id, role FROM users WHERE role = 'leader' AND jurisdiction_code IS NOT NULL ORDER BY id LIMIT 1`);
	const asLeader = leader ? asUser(db, leader) : null;
	for (const layer of LAYERS) {
		const bare: number[] = [], cold: number[] = [], warm: number[] = [], rls: number[] = [];
		// one untimed call of each path first, as a server in service has its pool's connections
		// open and its code compiled (the bare SQL runs on an open connection too): with 16 tiles the
		// p95 is nearly the maximum, and a connection opened mid-run was the "cold" figure
		await db.run(tileSql(layer, tileBBox(tiles[0])));
		await pointTile(db, layer, tiles[0]);
		if (asLeader) await pointTile(asLeader, layer, tiles[0]);
		// ROUNDS[layer] passes over the tiles, the bare SQL first in one and the API first in the next (the
		// first of the two warms the database's cache for the second): with one pass of 16 tiles the
		// p95 was the slowest single call, and one hiccup of a few ms on a 10 ms tile read as 3–6×
		for (let round = 0; round < ROUNDS[layer]; round++) {
			for (const tile of tiles) {
				const runBare = async () => bare.push((await timed(() => db.run(tileSql(layer, tileBBox(tile)))))[1]);
				const runCold = async () => {
					mapCache.clear();
					cold.push((await timed(() => pointTile(db, layer, tile)))[1]);
				};
				if (round % 2 === 0) { await runBare(); await runCold(); } else { await runCold(); await runBare(); }
				warm.push((await timed(() => pointTile(db, layer, tile)))[1]);
				if (asLeader) {
					mapCache.clear();
					rls.push((await timed(() => pointTile(asLeader, layer, tile)))[1]);
				}
			}
		}
		if (rls.length) {
			const tag = `${layer} tile (${tiles.length} × z${POINT_TILE_ZOOM})`;
			figures.set(`tiles: ${tag} API cold as a leader (RLS) p95 ms`, p95(rls));
			figures.set(`tiles: ${tag} RLS ÷ owner, cold p95`, p95(rls) / p95(cold));
		}
		// the last pass left every tile of this layer in the cache, for the byte counts below
		for (const tile of tiles) await pointTile(db, layer, tile);
		const tag = `${layer} tile (${tiles.length} × z${POINT_TILE_ZOOM})`;
		figures.set(`tiles: ${tag} bare SQL p50 ms`, p50(bare));
		figures.set(`tiles: ${tag} bare SQL p95 ms`, p95(bare));
		figures.set(`tiles: ${tag} API cold p50 ms`, p50(cold));
		figures.set(`tiles: ${tag} API cold p95 ms`, p95(cold));
		figures.set(`tiles: ${tag} API cached p95 ms`, p95(warm));
		figures.set(`tiles: ${tag} API cold ÷ bare SQL (p95; goal ≤ 1.3)`, p95(cold) / p95(bare));
	}
	const gsBare: number[] = [], gsCold: number[] = [];
	for (let i = 0; i < 5; i++) {
		gsBare.push((await timed(() => db.run(gridCountsSql(new Date()))))[1]);
		mapCache.clear();
		gsCold.push((await timed(() => gridStats(db, 'open_per_100')))[1]);
	}
	figures.set('tiles: grid-stats bare SQL p50 ms', p50(gsBare));
	figures.set('tiles: grid-stats API cold p50 ms', p50(gsCold));
	figures.set('tiles: grid-stats API cold ÷ bare SQL (p50)', p50(gsCold) / p50(gsBare));
	// the per-grid counts drawn below street zoom, as the district leader gets them (RLS)
	const agBare: number[] = [], agCold: number[] = [];
	for (let i = 0; i < 5; i++) {
		agBare.push((await timed(() => db.run(AGGREGATES_SQL)))[1]);
		mapCache.clear();
		agCold.push((await timed(() => gridAggregates(asLeader ?? db)))[1]);
	}
	figures.set('tiles: aggregates bare SQL p50 ms', p50(agBare));
	figures.set('tiles: aggregates API cold (leader, RLS) p50 ms', p50(agCold));
	const aggregates = await gridAggregates(db);
	figures.set('bytes: aggregates document (once per visit below street zoom), KiB gzip', aggregates.gzip.byteLength / 1024);

	// bytes per view: documents once per visit, then the z12 point tiles the viewport needs
	for (const layer of LAYERS) for (const tile of tiles) await pointTile(db, layer, tile);
	const docs = [await gridsGeojson(db), await basemapGeojson(db), await gridStats(db, 'open_per_100')].reduce((a, d) => a + d.gzip.byteLength, 0);
	figures.set('bytes: grids + basemap + grid-stats (once per visit), KiB gzip', docs / 1024);
	// a view at or above street zoom fetches point tiles at the zoom that follows it
	// (domain/aggregates.ts); below, only the aggregates document. The z12 rows are the old rule.
	const views: [string, { zoom: number; bbox: BBox }][] = [['district', fitView(box(district))], ['street', fitView(box(street))], ['grid', fitView(box(grid))]];
	// the same grid one zoom step out and at the street-zoom threshold itself: the worst overhang
	const gv = views[2][1];
	for (const z of [14, Math.floor(gv.zoom)]) views.push([`grid centre at z${z}`, viewAt(gv.bbox, z)]);
	for (const [name, view] of views) {
		const [{ n }] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM households WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)`, view.bbox);
		for (const rule of ['z12 (before)', 'follows the view'] as const) {
			const points = rule === 'z12 (before)' || drawsPoints(view.zoom);
			const z = rule === 'z12 (before)' ? POINT_TILE_ZOOM : pointTileZoom(view.zoom);
			const need = points ? tilesCovering(view.bbox, z) : [];
			let gz = points ? 0 : aggregates.gzip.byteLength, sent = 0;
			for (const layer of LAYERS) for (const t of need) {
				const { cached } = await pointTile(db, layer, t);
				gz += cached.gzip.byteLength;
				if (layer === 'households') sent += cached.meta.count;
			}
			const what = points ? `${need.length} × z${z} tile${need.length > 1 ? 's' : ''}` : 'aggregates';
			const tag = `bytes: ${name} view (z${view.zoom.toFixed(1)}), ${rule}: ${what}`;
			figures.set(`${tag}, KiB gzip`, gz / 1024);
			if (points) figures.set(`${tag}, households sent ÷ in view (goal ≤ 2)`, sent / Math.max(1, n));
		}
	}
	print(`  ${db.kind}: ${tiles.length} z${POINT_TILE_ZOOM} tiles over the district; densest street ${street.code}, densest grid ${grid.code}`);
	mapCache.clear();
}
