// What real districts' files look like, turned into plain GeoJSON before the import reads them:
// ECharts' boundary files (the code in Feature.id, coordinates in its compressed "UTF8Encoding"),
// and KML written by GDAL/QGIS, where a multi-part area is a <MultiGeometry> that togeojson hands
// over as a GeometryCollection of polygons. Pure functions: no file, no database.
import type { Feature, Geometry, Position } from 'geojson';

/** The header a Feature.id is offered under, the last alias of every code field (fields.ts). */
export const FEATURE_ID_COLUMN = '要素ID';

/**
 * ECharts' compressed GeoJSON (echarts/src/coord/geo/parseGeoJson.ts, `decode`): each ring is a
 * string of character pairs, zig-zag encoded deltas from `encodeOffsets`, in units of 1/1024 degree
 * (`UTF8Scale`, default 1024). Returns the document with plain coordinates; others pass unchanged.
 */
export function decodeEchartsGeoJson<T extends { UTF8Encoding?: boolean; UTF8Scale?: number; features?: unknown[] }>(doc: T): T {
	if (!doc || doc.UTF8Encoding !== true || !Array.isArray(doc.features)) return doc;
	const scale = Number(doc.UTF8Scale ?? 1024) || 1024;
	const features = doc.features.map((f) => {
		// an encoded geometry: coordinates are strings, not positions, until decoded
		const feature = f as { geometry?: { type: string; coordinates: unknown; encodeOffsets?: unknown } | null };
		const g = feature?.geometry;
		if (!g || !g.encodeOffsets) return f;
		const offsets = g.encodeOffsets as unknown[];
		let coordinates: unknown;
		if (g.type === 'Polygon') coordinates = (g.coordinates as string[]).map((ring, i) => decodeRing(ring, offsets[i] as number[], scale));
		else if (g.type === 'MultiPolygon') coordinates = (g.coordinates as string[][]).map((poly, i) => poly.map((ring, j) => decodeRing(ring, (offsets[i] as number[][])[j], scale)));
		else if (g.type === 'LineString') coordinates = decodeRing(g.coordinates as string, offsets as number[], scale);
		else if (g.type === 'MultiLineString') coordinates = (g.coordinates as string[]).map((line, i) => decodeRing(line, offsets[i] as number[], scale));
		else return f;
		const { encodeOffsets: _dropped, ...rest } = g;
		return { ...feature, geometry: { ...rest, coordinates } };
	});
	const { UTF8Encoding: _u, UTF8Scale: _s, ...plain } = doc;
	return { ...plain, features } as unknown as T;
}

function decodeRing(encoded: string, offsets: number[], scale: number): Position[] {
	if (typeof encoded !== 'string' || !Array.isArray(offsets)) throw new Error('ECharts 压缩坐标格式不正确：坐标应为字符串，并带 encodeOffsets');
	const out: Position[] = [];
	let prevX = offsets[0];
	let prevY = offsets[1];
	for (let i = 0; i + 1 < encoded.length; i += 2) {
		let x = encoded.charCodeAt(i) - 64;
		let y = encoded.charCodeAt(i + 1) - 64;
		// zig-zag: the low bit is the sign
		x = (x >> 1) ^ -(x & 1);
		y = (y >> 1) ^ -(y & 1);
		x += prevX;
		y += prevY;
		prevX = x;
		prevY = y;
		out.push([x / scale, y / scale]);
	}
	return out;
}

/**
 * A GeometryCollection made only of polygons (a KML <MultiGeometry> from GDAL or QGIS) as the
 * MultiPolygon it means; a collection of polygons and something else stays as it is (and is
 * refused by the polygon check with its type named).
 */
export function collectPolygons(g: Geometry | null): Geometry | null {
	if (!g || g.type !== 'GeometryCollection') return g;
	const parts = g.geometries.map(collectPolygons);
	if (parts.length === 0 || !parts.every((p) => p && (p.type === 'Polygon' || p.type === 'MultiPolygon'))) return g;
	return {
		type: 'MultiPolygon',
		coordinates: parts.flatMap((p) => (p!.type === 'Polygon' ? [p!.coordinates] : (p as { coordinates: Position[][][] }).coordinates))
	};
}

/** A feature's properties, with its Feature.id offered as a column when it has one (ECharts keeps the 区划代码 there). */
export function featureProps(f: Feature): Record<string, unknown> {
	const props: Record<string, unknown> = { ...(f.properties ?? {}) };
	if (f.id !== undefined && f.id !== null && String(f.id) !== '' && !(FEATURE_ID_COLUMN in props)) props[FEATURE_ID_COLUMN] = String(f.id);
	return props;
}

/**
 * The proj4 definition of a projected CRS a Chinese district's GeoJSON declares, or null when we
 * do not know it: CGCS2000 Gauss–Krüger, 3° zones (EPSG:4513–4533 with the zone number in the
 * false easting, 4534–4554 without) and 6° zones (4491–4501 with, 4502–4512 without), and Web
 * Mercator (3857). CGCS2000 and WGS84 differ by centimetres: the result is taken as WGS84.
 */
export function projectedCrsDefinition(name: string): string | null {
	const m = /(?:EPSG:{1,2}|EPSG\/0\/|epsg\.io\/)(\d{4,5})\b/i.exec(name);
	if (!m) return null;
	const code = Number(m[1]);
	const tmerc = (lon0: number, x0: number) => `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=1 +x_0=${x0} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
	if (code >= 4513 && code <= 4533) { const zone = code - 4488; return tmerc(zone * 3, zone * 1_000_000 + 500_000); }
	if (code >= 4534 && code <= 4554) return tmerc(75 + (code - 4534) * 3, 500_000);
	if (code >= 4491 && code <= 4501) { const zone = code - 4478; return tmerc(zone * 6 - 3, zone * 1_000_000 + 500_000); }
	if (code >= 4502 && code <= 4512) return tmerc(75 + (code - 4502) * 6, 500_000);
	if (code === 3857 || code === 900913) return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';
	return null;
}

/** Every position of a geometry through `f` (a projection's inverse), the structure kept. */
export function mapPositions(g: Geometry | null, f: (p: Position) => Position): Geometry | null {
	if (!g) return g;
	switch (g.type) {
		case 'Point': return { ...g, coordinates: f(g.coordinates) };
		case 'MultiPoint': case 'LineString': return { ...g, coordinates: g.coordinates.map(f) };
		case 'MultiLineString': case 'Polygon': return { ...g, coordinates: g.coordinates.map((r) => r.map(f)) };
		case 'MultiPolygon': return { ...g, coordinates: g.coordinates.map((p) => p.map((r) => r.map(f))) };
		case 'GeometryCollection': return { ...g, geometries: g.geometries.map((x) => mapPositions(x, f)!) };
	}
}
