// Shared shapes of the import: what a file becomes (records), what is wrong with a row (issues),
// and the limits every file is held to. Pure: no database, no Node APIs.
import type { Geometry } from 'geojson';

export const LAYERS = ['areas', 'grids', 'households', 'hazards', 'requests'] as const;
export type Layer = (typeof LAYERS)[number];
export const LAYER_LABEL: Record<Layer, string> = {
	areas: '行政区划（区/街道/社区）',
	grids: '网格',
	households: '住户',
	hazards: '隐患',
	requests: '诉求'
};
export const POLYGON_LAYERS: readonly Layer[] = ['areas', 'grids'];

/** Coordinate systems a file may arrive in; everything is stored in WGS84/CGCS2000 (EPSG:4326). */
export const CRS_LIST = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRS_LIST)[number];
export const CRS_LABEL: Record<Crs, string> = {
	wgs84: 'WGS84 / CGCS2000（GPS、天地图）',
	gcj02: 'GCJ-02（高德、腾讯）',
	bd09: 'BD-09（百度）'
};

/** One row of a table or one feature of a geometry file, before validation. */
export interface SourceRecord {
	/** 1-based: the spreadsheet row (header = 1) or the feature's position */
	row: number;
	/** how a person finds it: “第 3 行” or “第 3 个要素” */
	where: string;
	props: Record<string, unknown>;
	geometry: Geometry | null;
	/** why the row's geometry could not be read (a bad WKT cell) */
	geometryError?: string;
}

export interface RowIssue {
	row: number;
	where: string;
	/** the column (as named in the file when known) or 'geometry' */
	field: string | null;
	message: string;
	level: 'error' | 'warning';
}

/** A whole-file problem: nothing is imported and the message says why. */
export class ImportFileError extends Error {
	constructor(public readonly code: string, message: string, public readonly field: string | null = null) {
		super(message);
	}
}

export interface ImportLimits {
	/** upload size, bytes */
	maxBytes: number;
	/** data rows or features per file */
	maxRows: number;
	/** coordinate positions in one geometry */
	maxVerticesPerGeometry: number;
	/** coordinate positions in the whole file */
	maxVerticesTotal: number;
	/** entries in a .zip */
	maxZipEntries: number;
	/** sum of the uncompressed sizes a .zip declares, bytes */
	maxZipUncompressed: number;
	/** uncompressed ÷ compressed size of any one entry (a zip bomb compresses ~1000:1) */
	maxZipRatio: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
	maxBytes: 50 * 1024 * 1024,
	maxRows: 200_000,
	maxVerticesPerGeometry: 100_000,
	maxVerticesTotal: 5_000_000,
	maxZipEntries: 50,
	maxZipUncompressed: 300 * 1024 * 1024,
	maxZipRatio: 100
};

export const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
