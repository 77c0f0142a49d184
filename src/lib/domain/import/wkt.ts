// Well-known text → GeoJSON, for the polygon layers' CSV/XLSX files (a `wkt` column, as the
// export writes and as QGIS “Save as CSV, GEOMETRY=AS_WKT” writes). Points, polygons and their
// multi forms; an optional EWKT “SRID=4326;” prefix. Anything else is a clear error.
import type { Geometry, Position } from 'geojson';

export class WktError extends Error {}

export function parseWkt(text: string): Geometry {
	const src = text.trim().replace(/^SRID=(\d+);/i, (_, srid) => {
		if (srid !== '4326' && srid !== '4490') throw new WktError(`WKT 的坐标系 SRID=${srid} 不是经纬度（4326/4490）`);
		return '';
	});
	const m = /^(POINT|POLYGON|MULTIPOLYGON)\s*(Z|M|ZM)?\s*(\(.*\))\s*$/is.exec(src);
	if (!m) throw new WktError(`无法识别的 WKT：“${src.slice(0, 40)}${src.length > 40 ? '…' : ''}”，应为 POLYGON((…)) 或 MULTIPOLYGON(((…)))`);
	const type = m[1].toUpperCase();
	const nested = parseNested(m[3]);
	const depth = { POINT: 1, POLYGON: 2, MULTIPOLYGON: 3 }[type]!;
	const check = (v: unknown, d: number): void => {
		if (d === 0) {
			if (!Array.isArray(v) || v.length < 2 || typeof v[0] !== 'number') throw new WktError(`WKT 的 ${type} 层次不对`);
			return;
		}
		if (!Array.isArray(v) || v.length === 0 || typeof v[0] === 'number') throw new WktError(`WKT 的 ${type} 层次不对`);
		v.forEach((x) => check(x, d - 1));
	};
	if (type === 'POINT') {
		check(nested[0], 0);
		return { type: 'Point', coordinates: nested[0] as Position };
	}
	check(nested, depth);
	return type === 'POLYGON' ? { type: 'Polygon', coordinates: nested as Position[][] } : { type: 'MultiPolygon', coordinates: nested as Position[][][] };
}

/** “((1 2, 3 4), (5 6))” → [[[1,2],[3,4]],[[5,6]]]: each parenthesis a level, each comma-separated “x y” a position. */
function parseNested(s: string): any[] {
	let i = 0;
	const bad = () => new WktError(`WKT 括号或数字有误（第 ${i + 1} 个字符附近）`);
	const list = (): any[] => {
		if (s[i] !== '(') throw bad();
		i++;
		const out: any[] = [];
		for (;;) {
			while (s[i] === ' ' || s[i] === '\n' || s[i] === '\t' || s[i] === '\r') i++;
			if (s[i] === '(') out.push(list());
			else {
				const end = s.slice(i).search(/[,)]/);
				if (end < 0) throw bad();
				const nums = s.slice(i, i + end).trim().split(/\s+/).map(Number);
				if (nums.length < 2 || nums.some((n) => !Number.isFinite(n))) throw bad();
				out.push(nums.slice(0, 2));
				i += end;
			}
			while (s[i] === ' ') i++;
			if (s[i] === ',') i++;
			else if (s[i] === ')') {
				i++;
				return out;
			} else throw bad();
		}
	};
	const v = list();
	if (s.slice(i).trim()) throw bad();
	return v;
}
