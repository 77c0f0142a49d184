// Web Mercator tile arithmetic (the XYZ scheme MapLibre and deck.gl use) and the quantisation of
// a point to 16 bits per axis inside its tile. At the point-tile zoom (12) a tile is ~8.6 km wide
// at 28°N, so one 1/65536 step is ~0.13 m: finer than any screen pixel we draw.

export interface Tile {
	z: number;
	x: number;
	y: number;
}

/** [west, south, east, north] in degrees. */
export type BBox = [number, number, number, number];

/** The coarsest tile zoom of households, hazards and requests; a view fetches pointTileZoom(map zoom) (domain/aggregates.ts). */
export const POINT_TILE_ZOOM = 12;
/** Zoom range the tile endpoint accepts: below 10 a tile could hold a whole city. */
export const MIN_TILE_ZOOM = 10;
// 18: the point tiles follow the map zoom one step finer (domain/aggregates.ts), and a grid fits
// at map zoom ~17; with 16 the grid view was sent 2.8–3.1× the households it shows
export const MAX_TILE_ZOOM = 18;
/** Building tiles (the base map at street zoom): from zoom 15, where one tile is ~1.2 km wide. */
export const BUILDING_MIN_ZOOM = 15;
/** Building tiles are made up to this zoom; the map overzooms them beyond. */
export const BUILDING_MAX_ZOOM = 16;
/** The layer name inside a building tile (the style's source-layer). */
export const BUILDING_TILE_LAYER = 'buildings';
/** Quantisation steps per tile side (Uint16). */
export const EXTENT = 65536;

const MAX_LAT = 85.0511287798066;

/** Fractional tile x of a longitude at zoom z. */
export function lonToX(lon: number, z: number): number {
	return ((lon + 180) / 360) * 2 ** z;
}

/** Fractional tile y of a latitude at zoom z (y grows southwards). */
export function latToY(lat: number, z: number): number {
	const phi = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
	return ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * 2 ** z;
}

export function xToLon(x: number, z: number): number {
	return (x / 2 ** z) * 360 - 180;
}

export function yToLat(y: number, z: number): number {
	const n = Math.PI * (1 - (2 * y) / 2 ** z);
	return (Math.atan(Math.sinh(n)) * 180) / Math.PI;
}

export function tileBBox({ z, x, y }: Tile): BBox {
	return [xToLon(x, z), yToLat(y + 1, z), xToLon(x + 1, z), yToLat(y, z)];
}

export function isValidTile({ z, x, y }: Tile): boolean {
	const n = 2 ** z;
	return Number.isInteger(z) && Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < n && y < n;
}

/** Tiles at zoom z that intersect bbox, row by row; throws when more than `max` would be needed. */
export function tilesCovering(bbox: BBox, z: number, max = 256): Tile[] {
	const n = 2 ** z;
	const clamp = (v: number) => Math.max(0, Math.min(n - 1, Math.floor(v)));
	const [x0, x1] = [clamp(lonToX(bbox[0], z)), clamp(lonToX(bbox[2], z))];
	const [y0, y1] = [clamp(latToY(bbox[3], z)), clamp(latToY(bbox[1], z))];
	const count = (x1 - x0 + 1) * (y1 - y0 + 1);
	if (count > max) throw new RangeError(`bbox needs ${count} tiles at zoom ${z}, more than ${max}`);
	const out: Tile[] = [];
	for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) out.push({ z, x, y });
	return out;
}

export function tileKey({ z, x, y }: Tile): string {
	return `${z}/${x}/${y}`;
}

const step = (v: number) => Math.max(0, Math.min(EXTENT - 1, Math.floor(v * EXTENT)));

/** Quantised x of a longitude inside `tile`, 0…65535 (scalar: the encoder calls it per point, no array each). */
export const quantizeX = (lon: number, { z, x }: Tile): number => step(lonToX(lon, z) - x);
/** Quantised y of a latitude inside `tile`, 0…65535. */
export const quantizeY = (lat: number, { z, y }: Tile): number => step(latToY(lat, z) - y);

/** Quantised position of (lon, lat) inside `tile`, each in 0…65535; the point must lie inside. */
export function quantize(lon: number, lat: number, tile: Tile): [number, number] {
	return [quantizeX(lon, tile), quantizeY(lat, tile)];
}

/** Centre of the quantisation cell: the inverse of `quantize` to within half a step. */
export function dequantize(qx: number, qy: number, { z, x, y }: Tile): [number, number] {
	return [xToLon(x + (qx + 0.5) / EXTENT, z), yToLat(y + (qy + 0.5) / EXTENT, z)];
}

/** Bounding box of GeoJSON coordinates nested to any depth (Point … MultiPolygon). */
export function bboxOfCoordinates(coords: unknown, into: BBox = [Infinity, Infinity, -Infinity, -Infinity]): BBox {
	if (Array.isArray(coords) && typeof coords[0] === 'number') {
		const [lon, lat] = coords as number[];
		into[0] = Math.min(into[0], lon);
		into[1] = Math.min(into[1], lat);
		into[2] = Math.max(into[2], lon);
		into[3] = Math.max(into[3], lat);
	} else if (Array.isArray(coords)) {
		for (const c of coords) bboxOfCoordinates(c, into);
	}
	return into;
}
