// Which map zoom draws what: below street zoom (街道级) the households, requests and hazards are
// drawn as per-grid counts (聚合), from street zoom as points; and which tile zoom the points are
// fetched at for a map zoom. One rule for the map, the benchmark and the tests.
import { MAX_TILE_ZOOM, POINT_TILE_ZOOM } from './tiles';

/**
 * The map zoom from which points are drawn (街道级). At 14 a 1280×800 view is ~2.6 × 1.6 km at
 * 28°N, a few grids; the densest of the 200 000-household demo district holds a few thousand
 * points there, which software WebGL pans smoothly. Below it a view holds tens of thousands of
 * dots nobody can tell apart (issue 18: 22× the frame time of an empty map), so grids are counted.
 */
export const STREET_ZOOM = 14;

/** Whether a map zoom draws points (true) or per-grid aggregates (false). */
export function drawsPoints(zoom: number): boolean {
	return zoom >= STREET_ZOOM;
}

/**
 * The tile zoom whose tiles a view at map `zoom` fetches: the map's zoom rounded, one step finer
 * (MapLibre's tiles are 512 CSS px, so such a tile is 181–362 px on screen). The tiles covering a
 * view overhang it by up to one tile on each axis: with floor(zoom) + 1 (256–512 px) a 1280×800
 * grid view at z16.8 was sent 2.2× the households in it; rounded, at most ~1.9× at any zoom, for
 * about twice as many (smaller) tiles. Coarser tiles (the fixed z12 before) sent 66×. Clamped to
 * the zooms the tile endpoint serves.
 */
export function pointTileZoom(zoom: number): number {
	return Math.max(POINT_TILE_ZOOM, Math.min(MAX_TILE_ZOOM, Math.round(zoom) + 1));
}

/**
 * Below this map zoom the aggregates are marks without numbers: at the district view (~z11) some
 * 600 grids share ~1000 px and their numbers would print over each other.
 */
export const LABEL_ZOOM = 12.5;

/**
 * How much the unlabelled marks shrink at map `zoom`: 1 at the desk's district view (~z11) and
 * closer, half a zoom step further out (a phone shows the whole district at ~z10), never below 0.4.
 * The grids shrink on screen as the map zooms out while marks in pixels would not, and a phone's
 * district view became one heap of circles and badges over the grid colours.
 */
export function aggregateScale(zoom: number): number {
	return Math.min(1, Math.max(0.4, 2 ** (zoom - 11)));
}

/** Whether aggregates at this map zoom carry their counts as text. */
export function labelsAggregates(zoom: number): boolean {
	return zoom >= LABEL_ZOOM;
}

/**
 * Pixel radius of an aggregate circle for `count` items, area proportional to the count against
 * the largest count shown (`max`), between `min` and `max` pixels: a grid with 4× the households
 * has a circle twice as wide.
 */
export function aggregateRadius(count: number, maxCount: number, minPx = 6, maxPx = 26): number {
	if (count <= 0 || maxCount <= 0) return 0;
	return minPx + (maxPx - minPx) * Math.sqrt(Math.min(1, count / maxCount));
}

/** A count as its aggregate label: 1 234 → "1234", 12 345 → "1.2万" (short enough for a circle). */
export function aggregateLabel(count: number): string {
	if (count < 10_000) return String(count);
	return `${(count / 10_000).toFixed(count < 100_000 ? 1 : 0)}万`;
}

/** One grid's counts as the map draws them below street zoom (网格聚合). */
export interface GridAggregate {
	code: string;
	/** a point inside the grid (PostGIS ST_PointOnSurface, WGS84): where its circle is drawn */
	lon: number;
	lat: number;
	households: number;
	/** 未办结诉求 */
	requests: number;
	/** of which overdue now */
	overdue: number;
	/** 未销号隐患 */
	hazards: number;
}

/** GET /api/map/aggregates: the grids in the viewer's scope, each with its counts. */
export interface AggregatesDoc {
	generatedAt: string;
	grids: GridAggregate[];
}

export type AggregateTotals = Pick<GridAggregate, 'households' | 'requests' | 'hazards'>;

/** The counts of a whole document (what the layer switches show below street zoom). */
export function aggregateTotals(grids: readonly GridAggregate[]): AggregateTotals {
	const t = { households: 0, requests: 0, hazards: 0 };
	for (const g of grids) {
		t.households += g.households;
		t.requests += g.requests;
		t.hazards += g.hazards;
	}
	return t;
}
