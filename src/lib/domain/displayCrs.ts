// The coordinates the map is DRAWN in. Our data is WGS84 (CGCS2000 matches it to centimetres), and so
// are 天地图, the offline base map and any intranet tiles; Amap and Tencent tiles are drawn in GCJ-02,
// China's obfuscated datum, ~hundreds of metres off WGS84 in a city. Over such a base map every one of
// our layers is moved into GCJ-02 for display (toDisplay…), and every point read off the map (a click,
// the view's bounds) is moved back (fromDisplay…) before it is used: what we store stays WGS84.
// This module is the one place that knows how; with 'wgs84' every function is the identity.
// Pure: gcoord does the maths (its GCJ-02 → WGS84 is iterated to 1e-6°, ~0.1 m).
import gcoord from 'gcoord';
import type { BBox } from './tiles';

export const DISPLAY_CRSES = ['wgs84', 'gcj02'] as const;
export type DisplayCrs = (typeof DISPLAY_CRSES)[number];
export type LngLat = [number, number];

/** MAP_DISPLAY_CRS for a style URL drawn in GCJ-02, or an error naming the setting. */
export function parseDisplayCrs(raw: string | null | undefined): DisplayCrs | null {
	if (!raw) return null;
	const v = raw.trim().toLowerCase();
	if ((DISPLAY_CRSES as readonly string[]).includes(v)) return v as DisplayCrs;
	throw new Error(`MAP_DISPLAY_CRS 无法识别：“${raw}”，可选：${DISPLAY_CRSES.join('、')}`);
}

/** A WGS84 point as the map draws it. */
export function toDisplay(crs: DisplayCrs, p: LngLat): LngLat {
	if (crs === 'wgs84') return [p[0], p[1]];
	return gcoord.transform([p[0], p[1]], gcoord.WGS84, gcoord.GCJ02) as LngLat;
}

/** A point read off the map (click, view bounds) back in WGS84. */
export function fromDisplay(crs: DisplayCrs, p: LngLat): LngLat {
	if (crs === 'wgs84') return [p[0], p[1]];
	return gcoord.transform([p[0], p[1]], gcoord.GCJ02, gcoord.WGS84) as LngLat;
}

/** Any GeoJSON coordinates (a position or nested arrays of them), copied into display coordinates. */
export function toDisplayCoordinates<T>(crs: DisplayCrs, coords: T): T {
	if (crs === 'wgs84') return coords;
	const walk = (c: unknown): unknown =>
		Array.isArray(c) && typeof c[0] === 'number' ? toDisplay(crs, c as LngLat) : Array.isArray(c) ? c.map(walk) : c;
	return walk(coords) as T;
}

interface Geometry { type: string; coordinates?: unknown; geometries?: Geometry[] }
interface Feature { geometry: Geometry | null; [k: string]: unknown }

/**
 * A FeatureCollection for display: new geometries, the SAME properties objects (a page that writes a
 * measure onto a feature's properties sees it on both). The input is not changed.
 */
export function toDisplayFeatures<C extends { features: Feature[] }>(crs: DisplayCrs, fc: C): C {
	if (crs === 'wgs84') return fc;
	// gcoord moves a geometry in place and checks it once: hand it a copy
	const geom = (g: Geometry | null): Geometry | null => (g ? (gcoord.transform(structuredClone(g) as any, gcoord.WGS84, gcoord.GCJ02) as Geometry) : g);
	return { ...fc, features: fc.features.map((f) => ({ ...f, geometry: geom(f.geometry) })) };
}

/** Interleaved lon,lat pairs (deck.gl's binary positions) moved into display coordinates in place. */
export function toDisplayPositions(crs: DisplayCrs, positions: Float64Array): Float64Array {
	if (crs === 'wgs84' || positions.length === 0) return positions;
	// one MultiPoint for gcoord: its checks run once, not once a point (~2.5× faster, same numbers)
	const coordinates: LngLat[] = new Array(positions.length / 2);
	for (let i = 0; i < coordinates.length; i++) coordinates[i] = [positions[2 * i], positions[2 * i + 1]];
	const moved = gcoord.transform({ type: 'MultiPoint', coordinates }, gcoord.WGS84, gcoord.GCJ02) as { coordinates: LngLat[] };
	moved.coordinates.forEach(([x, y], i) => {
		positions[2 * i] = x;
		positions[2 * i + 1] = y;
	});
	return positions;
}

const corners = (b: BBox): LngLat[] => [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]];
const bboxOf = (ps: LngLat[]): BBox => [Math.min(...ps.map((p) => p[0])), Math.min(...ps.map((p) => p[1])), Math.max(...ps.map((p) => p[0])), Math.max(...ps.map((p) => p[1]))];

/** A WGS84 bbox as the map draws it (the box round its four moved corners). */
export function toDisplayBBox(crs: DisplayCrs, b: BBox): BBox {
	return crs === 'wgs84' ? b : bboxOf(corners(b).map((p) => toDisplay(crs, p)));
}

/** The map's view (display bbox) in WGS84: which of our tiles and rows it covers. */
export function fromDisplayBBox(crs: DisplayCrs, b: BBox): BBox {
	return crs === 'wgs84' ? b : bboxOf(corners(b).map((p) => fromDisplay(crs, p)));
}
