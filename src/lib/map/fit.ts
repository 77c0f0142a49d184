// Fitting the view to what a map shows: the bounding box of any GeoJSON coordinates.
import type { Map as MlMap, FitBoundsOptions } from 'maplibre-gl';
import { bboxOfCoordinates, type BBox } from '$lib/domain/tiles';

/** The bbox of the coordinates (any nesting), or null when there are none. */
export function extentOf(coords: unknown): BBox | null {
	const b = bboxOfCoordinates(coords);
	return Number.isFinite(b[0]) ? b : null;
}

/** Fits the map to the coordinates, widened by `margin` degrees; does nothing when there are none. */
export function fitTo(map: MlMap, coords: unknown, options: FitBoundsOptions = {}, margin = 0): boolean {
	const b = extentOf(coords);
	if (!b) return false;
	map.fitBounds([b[0] - margin, b[1] - margin, b[2] + margin, b[3] + margin], { duration: 0, ...options });
	return true;
}
