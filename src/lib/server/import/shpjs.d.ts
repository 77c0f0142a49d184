// shpjs ships no types; these are the two parsers the import uses (lib/index.js).
declare module 'shpjs' {
	import type { Geometry } from 'geojson';
	/** .shp bytes (+ .prj text: reprojected to WGS84 with proj4) → one geometry per record */
	export function parseShp(shp: ArrayBufferView | ArrayBuffer, prj?: string | false): Geometry[];
	/** .dbf bytes (+ .cpg encoding label) → one attribute object per record */
	export function parseDbf(dbf: ArrayBufferView | ArrayBuffer, cpg?: string): Record<string, unknown>[];
}
