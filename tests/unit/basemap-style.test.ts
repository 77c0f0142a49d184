// The offline base map's style at street zoom (issue 16): building marks from zoom 15 on their own
// vector-tile source, building names from 16, local road names from 15 under the arterials'
// labels, both themes; a configured style gets none of them; and the style passes MapLibre's own
// validator.
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { BUILDING_MIN_ZOOM, BUILDING_TILE_LAYER } from '../../src/lib/domain/tiles';
import { BUILDINGS_SOURCE, labelLayers, offlineStyle, themePaint } from '../../src/lib/map/style';
import { PALETTES, type Theme } from '../../src/lib/map/theme';

const TILES = 'http://grid.intranet/api/map/buildings/{z}/{x}/{y}?v=abc~tag';
const THEMES: Theme[] = ['light', 'dark'];
const layer = (style: ReturnType<typeof offlineStyle>, id: string) => style.layers.find((l) => l.id === id) as any;
const index = (style: ReturnType<typeof offlineStyle>, id: string) => style.layers.findIndex((l) => l.id === id);

describe('offline style at street zoom', () => {
	for (const theme of THEMES) {
		it(`${theme}: buildings are a vector source from zoom 15, drawn as marks over the roads`, () => {
			const style = offlineStyle(theme, '/api/map/basemap?v=1', TILES);
			expect(style.sources[BUILDINGS_SOURCE]).toEqual({ type: 'vector', tiles: [TILES], minzoom: 15, maxzoom: 16 });
			const marks = layer(style, 'building');
			expect(marks).toMatchObject({ type: 'circle', source: BUILDINGS_SOURCE, 'source-layer': BUILDING_TILE_LAYER, minzoom: BUILDING_MIN_ZOOM });
			expect(marks.paint['circle-color']).toBe(PALETTES[theme].building);
			expect(marks.paint['circle-stroke-color']).toBe(PALETTES[theme].buildingOutline);
			// sized by the households a building holds
			expect(JSON.stringify(marks.paint['circle-radius'])).toContain('"households"');
			expect(index(style, 'building')).toBeGreaterThan(index(style, 'road-arterial'));
		});

		it(`${theme}: building names from zoom 16, local road names from zoom 15`, () => {
			const style = offlineStyle(theme, '/api/map/basemap?v=1', TILES);
			const names = layer(style, 'label-building');
			expect(names).toMatchObject({ type: 'symbol', source: BUILDINGS_SOURCE, 'source-layer': BUILDING_TILE_LAYER, minzoom: 16 });
			expect(names.layout['text-field']).toEqual(['get', 'name']);
			expect(names.paint['text-color']).toBe(PALETTES[theme].text);
			const roads = layer(style, 'label-road-local');
			expect(roads).toMatchObject({ type: 'symbol', minzoom: 15 });
			expect(roads.filter).toEqual(['in', ['get', 'kind'], ['literal', ['road_local']]]);
			expect(roads.layout).toMatchObject({ 'symbol-placement': 'line', 'text-field': ['get', 'name'] });
			expect(roads.layout['symbol-spacing']).toBeGreaterThanOrEqual(250);
			// labels never overlap: MapLibre's collision detection stays on
			for (const l of [names, roads]) {
				expect(l.layout['text-allow-overlap'] ?? false).toBe(false);
				expect(l.layout['text-ignore-placement'] ?? false).toBe(false);
			}
			// placement priority runs top-down: arterial names over local ones over building names
			expect(index(style, 'label-building')).toBeLessThan(index(style, 'label-road-local'));
			expect(index(style, 'label-road-local')).toBeLessThan(index(style, 'label-road'));
			expect(layer(style, 'label-road').minzoom).toBe(13);
		});

		it(`${theme}: the style is valid for MapLibre, with and without building tiles`, () => {
			expect(validateStyleMin(offlineStyle(theme, 'http://t/api/map/basemap?v=1', TILES) as any)).toEqual([]);
			const bare = offlineStyle(theme, 'http://t/api/map/basemap?v=1');
			expect(validateStyleMin(bare as any)).toEqual([]);
			expect(bare.sources[BUILDINGS_SOURCE]).toBeUndefined();
			expect(bare.layers.some((l) => (l as any).source === BUILDINGS_SOURCE)).toBe(false);
			expect(layer(bare, 'label-road-local')).toBeDefined();
		});
	}

	it('the themes differ in the building colours, and a theme switch repaints the building layers', () => {
		expect(PALETTES.light.building).not.toBe(PALETTES.dark.building);
		const dark = themePaint('dark', true);
		expect(dark.building['circle-color']).toBe(PALETTES.dark.building);
		expect(dark['label-building']['text-halo-color']).toBe(PALETTES.dark.textHalo);
		expect(dark['label-road-local']['text-color']).toBe(PALETTES.dark.text);
	});

	it('over a configured style the buildings and roads are the style\'s own: none of ours', () => {
		const ids = labelLayers(PALETTES.light, false).map((l) => l.id);
		expect(ids).not.toContain('label-road-local');
		expect(ids).not.toContain('label-building');
		expect(Object.keys(themePaint('light', false))).not.toContain('building');
	});
});
