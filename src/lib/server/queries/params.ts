// Path and query parameters of the map API, checked at the boundary with messages naming the field.
import { enumParam, intParam } from '../../domain/apierror';
import { MEASURE_KEYS, type MeasureKey } from '../../domain/measures';
import { LAYERS, type PointLayer } from '../../domain/pointcodec';
import { BUILDING_MAX_ZOOM, BUILDING_MIN_ZOOM, MAX_TILE_ZOOM, MIN_TILE_ZOOM, type Tile } from '../../domain/tiles';

export function parseLayer(raw: string | undefined): PointLayer {
	return enumParam(raw, 'layer', '图层', LAYERS);
}

export function parseMeasure(raw: string | null): MeasureKey {
	return enumParam(raw, 'measure', '网格指标', MEASURE_KEYS);
}

export function parseTile(p: { z?: string; x?: string; y?: string }, minZoom = MIN_TILE_ZOOM, maxZoom = MAX_TILE_ZOOM): Tile {
	const z = intParam(p.z, 'z', '瓦片层级', minZoom, maxZoom);
	const max = 2 ** z - 1;
	return { z, x: intParam(p.x, 'x', '瓦片列号', 0, max), y: intParam(p.y, 'y', '瓦片行号', 0, max) };
}

/** A building tile: street zoom only (below it a tile would carry a whole town's buildings). */
export function parseBuildingTile(p: { z?: string; x?: string; y?: string }): Tile {
	return parseTile(p, BUILDING_MIN_ZOOM, BUILDING_MAX_ZOOM);
}
