// deck.gl layers for the three point sets, fed binary attributes straight from the tiles: no
// per-point objects, colours computed once per data/theme change into a Uint8Array.
import { ScatterplotLayer } from '@deck.gl/layers';
import { unpackHazard, unpackHousehold, unpackRequest, VISIT_CLASS } from '$lib/domain/pointattrs';
import type { PointLayer } from '$lib/domain/pointcodec';
import type { Combined } from './pointTiles';
import type { Palette } from './theme';

type RGBA = [number, number, number, number];

function colorOf(layer: PointLayer, a: number, p: Palette): RGBA {
	if (layer === 'households') {
		const h = unpackHousehold(a);
		if (h.vulnerable) return p.householdVulnerable;
		return h.visit === VISIT_CLASS.within30 || h.visit === VISIT_CLASS.within90 ? p.household : p.householdStale;
	}
	if (layer === 'hazards') return p.hazard;
	return unpackRequest(a).overdue ? p.requestOverdue : p.request;
}

/** deck.gl's binary `data` for a point set in a palette: positions as they came, colours computed once. */
interface Binary {
	length: number;
	attributes: { getPosition: { value: Float64Array; size: 2 }; getFillColor: { value: Uint8Array; size: 4; normalized: true } };
}
const dataCache = new WeakMap<Combined, { palette: Palette; data: Binary }>();

/**
 * The same object while the points and the palette stay: deck.gl compares `data` by reference
 * and the map rebuilds its layer list on every moveend, so a fresh object would re-upload every
 * point's attributes and recompute the markers' radii each frame of a pan.
 */
function binary(layer: PointLayer, c: Combined, p: Palette): Binary {
	const hit = dataCache.get(c);
	if (hit && hit.palette === p) return hit.data;
	const colors = new Uint8Array(4 * c.count);
	for (let i = 0; i < c.count; i++) colors.set(colorOf(layer, c.attrs[i], p), 4 * i);
	const data: Binary = { length: c.count, attributes: { getPosition: { value: c.positions, size: 2 }, getFillColor: { value: colors, size: 4, normalized: true } } };
	dataCache.set(c, { palette: p, data });
	return data;
}

/** Pixel radius of a hazard (severity 1–4) or request (urgent ones larger). */
function radius(layer: PointLayer, a: number): number {
	if (layer === 'hazards') return 3.5 + unpackHazard(a).severity;
	return unpackRequest(a).urgent ? 5.5 : 4.5;
}

/** Marker size factor by map zoom: small at the district view so street names stay legible. */
export function markerScale(zoom: number): number {
	return zoom < 12 ? 0.6 : zoom < 13.5 ? 0.8 : 1;
}

export function pointLayer(layer: PointLayer, c: Combined, p: Palette, visible: boolean, zoom: number) {
	const data = binary(layer, c, p);
	const common = {
		id: layer,
		data,
		visible,
		pickable: true,
		updateTriggers: { getFillColor: [p], getRadius: [c] }
	};
	if (layer === 'households') {
		// metres, clamped in pixels: dots at the district view, small discs in a street
		return new ScatterplotLayer({ ...common, radiusUnits: 'meters', getRadius: 3, radiusMinPixels: 1.3, radiusMaxPixels: 7 } as any);
	}
	return new ScatterplotLayer({
		...common,
		radiusUnits: 'pixels',
		radiusScale: markerScale(zoom),
		getRadius: (_: unknown, { index }: { index: number }) => radius(layer, c.attrs[index]),
		stroked: true,
		getLineColor: p.pointOutline,
		lineWidthUnits: 'pixels',
		getLineWidth: 1.2
	} as any);
}
