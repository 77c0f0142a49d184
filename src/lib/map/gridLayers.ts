// The grid choropleth on MapLibre: one GeoJSON source of ~600 polygons whose features carry the
// chosen measure as `value`; the fill is a `step` expression built from the same legend object
// the legend component draws, so colours on the map and in the legend cannot disagree.
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import type { Legend } from '$lib/domain/measures';
import { BASEMAP_SOURCE, TEXT_FONT } from './style';
import type { Palette } from './theme';

export const GRID_SOURCE = 'grids';
export const GRID_LAYERS = ['grids-fill', 'grids-line', 'grids-focus', 'area-focus', 'grids-label'] as const;

export interface GridFeatureCollection {
	type: 'FeatureCollection';
	features: { type: 'Feature'; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }[];
}

/**
 * Marks each grid `mine` (in the user's scope; scope null: all are). A grid outside is drawn
 * dimmed and carries no measure: its households are not the user's to see, so "0 households"
 * there would be a false "无住户".
 */
export function markScope(data: GridFeatureCollection, scope: readonly string[] | null): void {
	const mine = scope && new Set(scope);
	for (const f of data.features) f.properties.mine = !mine || mine.has(f.properties.code as string);
}

const OUTSIDE = ['==', ['get', 'mine'], false];
const fillOpacity = (p: Palette) => ['case', OUTSIDE, p.gridOutsideOpacity, p.gridFillOpacity] as any;

/** Adds the grid source and layers; fill goes under `fillBefore` so roads stay on top of it. */
export function addGridLayers(map: MlMap, data: GridFeatureCollection, p: Palette, fillBefore?: string): void {
	map.addSource(GRID_SOURCE, { type: 'geojson', data: data as any, promoteId: 'code' });
	map.addLayer({ id: 'grids-fill', type: 'fill', source: GRID_SOURCE, paint: { 'fill-color': p.background, 'fill-opacity': fillOpacity(p) } }, fillBefore);
	map.addLayer({ id: 'grids-line', type: 'line', source: GRID_SOURCE, minzoom: 11, paint: { 'line-color': p.gridLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.3, 15, 1.2], 'line-opacity': 0.7 } });
	const none = ['==', ['get', 'code'], ''] as any;
	map.addLayer({ id: 'grids-focus', type: 'line', source: GRID_SOURCE, filter: none, paint: { 'line-color': p.focus, 'line-width': 3.5 } });
	if (map.getSource(BASEMAP_SOURCE)) {
		map.addLayer({ id: 'area-focus', type: 'line', source: BASEMAP_SOURCE, filter: none, paint: { 'line-color': p.focus, 'line-width': 3.5 } });
	}
	map.addLayer({
		id: 'grids-label', type: 'symbol', source: GRID_SOURCE, minzoom: 15,
		layout: { 'text-field': ['get', 'name'], 'text-font': TEXT_FONT, 'text-size': 12, 'text-max-width': 8 },
		paint: { 'text-color': p.text, 'text-halo-color': p.textHalo, 'text-halo-width': 1.5 }
	});
}

/** Puts each grid's value on its feature and recolours the fill with the legend's classes. */
export function showMeasure(map: MlMap, data: GridFeatureCollection, values: Map<string, number | null>, legend: Legend, outside: string): void {
	for (const f of data.features) f.properties.value = values.get(f.properties.code as string) ?? null;
	(map.getSource(GRID_SOURCE) as GeoJSONSource | undefined)?.setData(data as any);
	map.setPaintProperty('grids-fill', 'fill-color', fillExpression(legend, outside));
}

/** The legend's class of the value; `noData` where there is none; `outside` for grids not the user's. */
export function fillExpression(legend: Legend, outside: string): any {
	// one class (a street whose grids all hold the same value): a plain colour, since MapLibre's
	// step needs at least one stop
	const classes = legend.classes;
	let step: unknown = classes[0].color;
	if (classes.length > 1) {
		step = ['step', ['to-number', ['get', 'value']], classes[0].color];
		for (const c of classes.slice(1)) (step as unknown[]).push(c.from ?? 0, c.color);
	}
	return ['case', OUTSIDE, outside, ['==', ['typeof', ['get', 'value']], 'number'], step, legend.noData];
}

export function applyGridTheme(map: MlMap, p: Palette): void {
	if (!map.getLayer('grids-fill')) return;
	map.setPaintProperty('grids-fill', 'fill-opacity', fillOpacity(p));
	map.setPaintProperty('grids-line', 'line-color', p.gridLine);
	map.setPaintProperty('grids-focus', 'line-color', p.focus);
	if (map.getLayer('area-focus')) map.setPaintProperty('area-focus', 'line-color', p.focus);
	map.setPaintProperty('grids-label', 'text-color', p.text);
	map.setPaintProperty('grids-label', 'text-halo-color', p.textHalo);
}

/** Outlines one grid (15-digit code) or one street/community (9/12 digits); '' clears. */
export function setFocus(map: MlMap, code: string): void {
	const isGrid = code.length === 15;
	map.setFilter('grids-focus', ['==', ['get', 'code'], isGrid ? code : '']);
	if (map.getLayer('area-focus')) map.setFilter('area-focus', ['==', ['get', 'code'], isGrid ? '' : code]);
}
