// The offline base map: a MapLibre style drawn from the district's own data (/api/map/basemap),
// with no tile server, no sprite and no glyphs. Without `glyphs`, MapLibre ≥ 5.11 draws text
// with the browser's local fonts (text-font is read as a CSS font list; CJK uses
// localIdeographFontFamily), so Chinese labels render offline.
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { BUILDING_MAX_ZOOM, BUILDING_MIN_ZOOM, BUILDING_TILE_LAYER } from '$lib/domain/tiles';
import { PALETTES, type Palette, type Theme } from './theme';

export const BASEMAP_SOURCE = 'basemap';
/** Building tiles (/api/map/buildings): vector tiles from zoom 15, scoped to the viewer. */
export const BUILDINGS_SOURCE = 'buildings';
/** Font list for Latin digits and letters; CJK goes through the map's localIdeographFontFamily. */
export const TEXT_FONT = ['Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'sans-serif'];
export const LOCAL_CJK_FONTS =
	'"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", sans-serif';

const kind = (...k: string[]) => ['in', ['get', 'kind'], ['literal', k]] as any;
const byZoom = (...stops: number[]) => ['interpolate', ['exponential', 1.6], ['zoom'], ...stops] as any;

/** Layers drawn under the grid fill: the ground. Only in the offline style. */
export function groundLayers(p: Palette): LayerSpecification[] {
	return [
		{ id: 'bg', type: 'background', paint: { 'background-color': p.background } },
		{ id: 'land', type: 'fill', source: BASEMAP_SOURCE, filter: kind('land'), paint: { 'fill-color': p.land } }
	];
}

/** Parks and water, over the grid fill: nobody lives there, so they interrupt the colours. */
export function waterLayers(p: Palette): LayerSpecification[] {
	const src = { source: BASEMAP_SOURCE };
	return [
		{ id: 'park', type: 'fill', ...src, filter: kind('park'), paint: { 'fill-color': p.park, 'fill-opacity': 0.85 } },
		{ id: 'water', type: 'fill', ...src, filter: kind('water'), paint: { 'fill-color': p.water } },
		{ id: 'river', type: 'line', ...src, filter: kind('river'), layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': p.water, 'line-width': byZoom(10, 2, 16, 28) } }
	];
}

/** The first layer drawn over the grid fill in the offline style. */
export const FIRST_OVER_GRIDS = 'park';
/** Roads, drawn over the grid fill so streets stay readable through the colours. */
export function roadLayers(p: Palette): LayerSpecification[] {
	const src = { source: BASEMAP_SOURCE, layout: { 'line-cap': 'round', 'line-join': 'round' } as const };
	return [
		{ id: 'road-local', type: 'line', ...src, minzoom: 11.5, filter: kind('road_local'), paint: { 'line-color': p.roadLocal, 'line-width': byZoom(12, 0.6, 17, 8), 'line-opacity': 0.9 } },
		{ id: 'road-arterial-casing', type: 'line', ...src, filter: kind('road_arterial'), paint: { 'line-color': p.roadCasing, 'line-width': byZoom(10, 1.8, 17, 16) } },
		{ id: 'road-arterial', type: 'line', ...src, filter: kind('road_arterial'), paint: { 'line-color': p.roadArterial, 'line-width': byZoom(10, 1, 17, 13) } }
	];
}

/**
 * Buildings at street zoom. The district's data holds one point per building, not its outline, so
 * a building is drawn as a mark at its point, not as a made-up footprint: a disc whose area grows
 * with the households it holds (a 33-floor block reads larger than a village house), and with zoom.
 */
export function buildingLayers(p: Palette): LayerSpecification[] {
	const households = ['max', 1, ['to-number', ['get', 'households'], 1]];
	// wider than the households' own dots (deck.gl, ~6 m around the building), so the mark shows round them
	const radius = (k: number) => ['*', k, ['+', 1.8, ['*', 0.9, ['sqrt', households]]]];
	return [
		{
			id: 'building', type: 'circle', source: BUILDINGS_SOURCE, 'source-layer': BUILDING_TILE_LAYER, minzoom: BUILDING_MIN_ZOOM,
			paint: {
				'circle-color': p.building,
				'circle-radius': ['interpolate', ['linear'], ['zoom'], 15, radius(0.55), 16, radius(1), 18, radius(2.2)] as any,
				'circle-stroke-color': p.buildingOutline,
				'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 15, 0.6, 17, 1.3] as any,
				'circle-pitch-alignment': 'map'
			}
		}
	];
}

/**
 * Building names (小区+楼栋, 村民组+门牌) from zoom 16. Placed last of all labels (first in the
 * list): roads and places win a collision, and among buildings the larger ones come first.
 */
export function buildingLabelLayers(p: Palette): LayerSpecification[] {
	return [
		{
			id: 'label-building', type: 'symbol', source: BUILDINGS_SOURCE, 'source-layer': BUILDING_TILE_LAYER, minzoom: BUILDING_MIN_ZOOM + 1,
			layout: {
				'text-field': ['get', 'name'], 'text-font': TEXT_FONT, 'text-size': byZoom(16, 10.5, 18, 13),
				'text-variable-anchor': ['top', 'bottom', 'right', 'left'], 'text-radial-offset': 0.8, 'text-justify': 'auto',
				'text-padding': 3, 'text-max-width': 7,
				'symbol-sort-key': ['-', 0, ['to-number', ['get', 'households'], 0]] as any
			},
			paint: { 'text-color': p.text, 'text-halo-color': p.textHalo, 'text-halo-width': 1.4 }
		}
	];
}

/** Area boundaries and the labels of the base map (also drawn over a configured style). */
export function boundaryLayers(p: Palette): LayerSpecification[] {
	const src = { source: BASEMAP_SOURCE };
	return [
		{ id: 'boundary-community', type: 'line', ...src, minzoom: 11.5, filter: kind('community'), paint: { 'line-color': p.boundaryCommunity, 'line-width': 1.2, 'line-dasharray': [3, 2] } },
		{ id: 'boundary-street', type: 'line', ...src, filter: kind('street'), paint: { 'line-color': p.boundaryStreet, 'line-width': byZoom(10, 1.5, 16, 3.5), 'line-dasharray': [4, 2] } },
		{ id: 'boundary-district', type: 'line', ...src, filter: kind('district'), paint: { 'line-color': p.boundaryDistrict, 'line-width': byZoom(9, 2, 16, 5) } }
	];
}

export function labelLayers(p: Palette, offline: boolean): LayerSpecification[] {
	const src = { source: BASEMAP_SOURCE };
	const halo = { 'text-color': p.text, 'text-halo-color': p.textHalo, 'text-halo-width': 1.6 };
	const text = (size: any, extra: Record<string, unknown> = {}) => ({ 'text-field': ['get', 'name'], 'text-font': TEXT_FONT, 'text-size': size, ...extra }) as any;
	const layers: LayerSpecification[] = [
		// 'Bold' in the font name sets the weight of locally drawn CJK glyphs too
		{ id: 'label-street', type: 'symbol', ...src, maxzoom: 13.5, filter: kind('label_street'), layout: text(byZoom(10, 14, 13, 18), { 'text-letter-spacing': 0.15, 'text-font': ['Noto Sans CJK SC Bold', 'WenQuanYi Zen Hei Bold', 'sans-serif'] }), paint: { ...halo, 'text-halo-width': 2.4 } },
		{ id: 'label-community', type: 'symbol', ...src, minzoom: 12.5, maxzoom: 16, filter: kind('label_community'), layout: text(byZoom(12, 11, 15, 14)), paint: halo }
	];
	if (!offline) return layers;
	return [
		{ id: 'label-water', type: 'symbol', ...src, minzoom: 12, filter: kind('water', 'park'), layout: text(12), paint: { ...halo, 'text-color': p.waterText } },
		{ id: 'label-river', type: 'symbol', ...src, minzoom: 12, filter: kind('river'), layout: text(12, { 'symbol-placement': 'line', 'symbol-spacing': 500 }), paint: { ...halo, 'text-color': p.waterText } },
		// local roads named from zoom 15; after (under) the arterials' labels, so those win a collision
		{ id: 'label-road-local', type: 'symbol', ...src, minzoom: BUILDING_MIN_ZOOM, filter: kind('road_local'), layout: text(byZoom(15, 11, 18, 13), { 'symbol-placement': 'line', 'symbol-spacing': 320, 'text-padding': 6, 'text-max-angle': 30 }), paint: halo },
		{ id: 'label-road', type: 'symbol', ...src, minzoom: 13, filter: kind('road_arterial'), layout: text(12, { 'symbol-placement': 'line', 'symbol-spacing': 400 }), paint: halo },
		{ id: 'label-place', type: 'symbol', ...src, minzoom: 12, filter: kind('place'), layout: text(12), paint: halo },
		...layers
	];
}

/** The layers of the offline style, bottom to top; building layers only with building tiles. */
function offlineLayers(p: Palette, buildings: boolean): LayerSpecification[] {
	return [
		...groundLayers(p), ...waterLayers(p), ...roadLayers(p), ...(buildings ? buildingLayers(p) : []), ...boundaryLayers(p),
		...(buildings ? buildingLabelLayers(p) : []), ...labelLayers(p, true)
	];
}

/**
 * A complete offline style; overlay layers (grids) are added by the map after load.
 * `buildingTiles`: the building tiles' URL template ({z}/{x}/{y}, absolute: MapLibre's worker
 * fetches it), or null for a map without buildings.
 */
export function offlineStyle(theme: Theme, basemapUrl: string, buildingTiles: string | null = null): StyleSpecification {
	const p = PALETTES[theme];
	const sources: StyleSpecification['sources'] = { [BASEMAP_SOURCE]: { type: 'geojson', data: basemapUrl, tolerance: 0.5 } };
	if (buildingTiles) sources[BUILDINGS_SOURCE] = { type: 'vector', tiles: [buildingTiles], minzoom: BUILDING_MIN_ZOOM, maxzoom: BUILDING_MAX_ZOOM };
	return { version: 8, name: '网格治理离线底图', sources, layers: offlineLayers(p, !!buildingTiles) };
}

/** Paint values per layer id for a theme, to restyle in place without reloading sources. */
export function themePaint(theme: Theme, offline: boolean): Record<string, Record<string, unknown>> {
	const p = PALETTES[theme];
	const layers = offline ? offlineLayers(p, true) : [...boundaryLayers(p), ...labelLayers(p, false)];
	return Object.fromEntries(layers.map((l) => [l.id, (l as { paint?: Record<string, unknown> }).paint ?? {}]));
}
