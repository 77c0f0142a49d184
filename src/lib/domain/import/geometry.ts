// Geometry checks that need no database: shape of the GeoJSON, closed rings, vertex counts,
// coordinates inside China, and the explicit conversion from GCJ-02 / BD-09 to WGS84.
// Validity (self-intersection) is PostGIS's job: ST_IsValid / ST_MakeValid on the server.
import gcoord from 'gcoord';
import type { Geometry, Position } from 'geojson';
import type { Crs } from './types';

/** Mainland China, Hainan and the South China Sea islands' latitudes, with a margin, degrees. */
export const CHINA_BBOX = { minLng: 73, maxLng: 136, minLat: 3, maxLat: 54 } as const;

const GCOORD: Record<Crs, any> = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 };

export function countVertices(g: Geometry): number {
	switch (g.type) {
		case 'Point': return 1;
		case 'MultiPoint': case 'LineString': return g.coordinates.length;
		case 'MultiLineString': case 'Polygon': return g.coordinates.reduce((n, r) => n + r.length, 0);
		case 'MultiPolygon': return g.coordinates.reduce((n, p) => n + p.reduce((m, r) => m + r.length, 0), 0);
		case 'GeometryCollection': return g.geometries.reduce((n, x) => n + countVertices(x), 0);
	}
}

const isPosition = (p: unknown): p is Position =>
	Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]);

/** Why a position is not a usable lon/lat in China, or null. */
export function positionProblem(p: Position): string | null {
	const [x, y] = p;
	const { minLng, maxLng, minLat, maxLat } = CHINA_BBOX;
	if (x >= minLng && x <= maxLng && y >= minLat && y <= maxLat) return null;
	if (y >= minLng && y <= maxLng && x >= minLat && x <= maxLat) return `坐标（${x}, ${y}）经纬度可能写反了：应为（经度, 纬度）`;
	if (Math.abs(x) > 180 || Math.abs(y) > 90) return `坐标（${x}, ${y}）不是经纬度度数：可能是投影坐标（单位米），请先转换为经纬度`;
	return `坐标（${x}, ${y}）不在中国范围内（经度 ${minLng}–${maxLng}，纬度 ${minLat}–${maxLat}）：请检查坐标或坐标系`;
}

/** Problems with a polygon layer's geometry that would stop PostGIS from reading it at all. */
export function polygonProblem(g: Geometry | null): string | null {
	if (!g) return '缺少几何图形';
	if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return `几何类型必须是面（Polygon/MultiPolygon），收到 ${g.type}`;
	const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
	if (!Array.isArray(polygons) || polygons.length === 0) return '面没有坐标';
	for (const rings of polygons) {
		if (!Array.isArray(rings) || rings.length === 0) return '面没有坐标环';
		for (const ring of rings) {
			if (!Array.isArray(ring) || !ring.every(isPosition)) return '坐标必须是 [经度, 纬度] 数字对';
			if (ring.length < 4) return `环只有 ${ring.length} 个点，至少需要 4 个（首尾相同）`;
			const [a, b] = [ring[0], ring[ring.length - 1]];
			if (a[0] !== b[0] || a[1] !== b[1]) return `环未闭合：首点（${a[0]}, ${a[1]}）与末点（${b[0]}, ${b[1]}）不同`;
			for (const p of ring) {
				const problem = positionProblem(p);
				if (problem) return problem;
			}
		}
	}
	return null;
}

/** A point geometry's [lng, lat], or a problem. */
export function pointOf(g: Geometry | null): Position | string {
	if (!g) return '缺少坐标';
	if (g.type !== 'Point') return `几何类型必须是点（Point），收到 ${g.type}`;
	if (!isPosition(g.coordinates)) return '坐标必须是 [经度, 纬度] 数字对';
	return g.coordinates;
}

/** Converts a position or geometry from `crs` to WGS84; WGS84 and CGCS2000 agree to centimetres. */
export function toWgs84<T extends Geometry | Position>(value: T, crs: Crs): T {
	if (crs === 'wgs84') return value;
	// gcoord rewrites GeoJSON in place: hand it a copy
	const copy = JSON.parse(JSON.stringify(value));
	const out = gcoord.transform(copy, GCOORD[crs], gcoord.WGS84);
	return (Array.isArray(value) ? [...(out as number[])] : out) as T;
}

/** Positions rounded to 1e-7° (about 1 cm): what survives a text round trip unchanged. */
export function roundGeometry<T extends Geometry>(g: T, digits = 7): T {
	const f = 10 ** digits;
	const r = (c: any): any => (typeof c[0] === 'number' ? c.map((v: number) => Math.round(v * f) / f) : c.map(r));
	if (g.type === 'GeometryCollection') return { ...g, geometries: g.geometries.map((x) => roundGeometry(x, digits)) };
	return { ...g, coordinates: r((g as any).coordinates) } as T;
}
