// The map's display coordinates (issue 17): over an Amap/Tencent base map our WGS84 layers are drawn
// in GCJ-02 and every point read off the map is taken back. Distances are geodesic (GeographicLib).
import { Geodesic } from 'geographiclib-geodesic';
import { describe, expect, it } from 'vitest';
import {
	fromDisplay, fromDisplayBBox, parseDisplayCrs, toDisplay, toDisplayBBox, toDisplayCoordinates, toDisplayFeatures, toDisplayPositions, type LngLat
} from '../../src/lib/domain/displayCrs';

const metres = (a: LngLat, b: LngLat) => Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0]).s12!;

/** The demo district (清溪区) and cities from the far north-east to the south-west of China. */
const PLACES: [string, LngLat][] = [
	['清溪区（演示区）', [112.95, 28.23]],
	['长沙', [112.9388, 28.2282]],
	['北京', [116.3975, 39.9087]],
	['上海', [121.4737, 31.2304]],
	['广州', [113.2644, 23.1291]],
	['哈尔滨', [126.535, 45.8038]],
	['乌鲁木齐', [87.6168, 43.8256]],
	['拉萨', [91.1409, 29.6456]],
	['三亚', [109.5119, 18.2528]]
];

describe('GCJ-02 display', () => {
	it.each(PLACES)('%s: toDisplay → fromDisplay comes back within 1 m', (_, p) => {
		const back = fromDisplay('gcj02', toDisplay('gcj02', p));
		expect(metres(p, back)).toBeLessThan(1);
	});

	it.each(PLACES)('%s: a point read off the map (fromDisplay) draws again where it was read, within 1 m', (_, p) => {
		// p taken as a GCJ-02 screen position: what a click gives
		expect(metres(p, toDisplay('gcj02', fromDisplay('gcj02', p)))).toBeLessThan(1);
	});

	it('really moves our layers in the demo district: GCJ-02 is hundreds of metres off WGS84 there', () => {
		const p: LngLat = [112.95, 28.23];
		const d = metres(p, toDisplay('gcj02', p));
		expect(d).toBeGreaterThan(300);
		expect(d).toBeLessThan(900);
	});

	it('is the identity for WGS84 base maps and outside China', () => {
		const p: LngLat = [112.95, 28.23];
		expect(toDisplay('wgs84', p)).toEqual(p);
		expect(fromDisplay('wgs84', p)).toEqual(p);
		expect(toDisplay('gcj02', [2.35, 48.86])).toEqual([2.35, 48.86]);
	});

	it('moves GeoJSON without changing the input, sharing the properties objects', () => {
		const fc = {
			type: 'FeatureCollection',
			features: [
				{ type: 'Feature', properties: { code: 'a' }, geometry: { type: 'Polygon', coordinates: [[[112.9, 28.2], [113, 28.2], [113, 28.3], [112.9, 28.2]]] } },
				{ type: 'Feature', properties: { code: 'b' }, geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [112.95, 28.23] }] } },
				{ type: 'Feature', properties: { code: 'c' }, geometry: null }
			]
		};
		const before = JSON.stringify(fc);
		const shown = toDisplayFeatures('gcj02', fc);
		expect(JSON.stringify(fc)).toBe(before);
		expect(shown.features[0].properties).toBe(fc.features[0].properties);
		const ring = (shown.features[0].geometry as any).coordinates[0];
		expect(ring).toHaveLength(4);
		expect(metres(ring[1], toDisplay('gcj02', [113, 28.2]))).toBe(0);
		expect((shown.features[1].geometry as any).geometries[0].coordinates).toEqual(toDisplay('gcj02', [112.95, 28.23]));
		expect(shown.features[2].geometry).toBeNull();
		expect(toDisplayFeatures('wgs84', fc)).toBe(fc);
		expect(toDisplayCoordinates('gcj02', [[112.95, 28.23]])[0]).toEqual(toDisplay('gcj02', [112.95, 28.23]));
	});

	it('moves deck.gl binary positions in place', () => {
		const pos = new Float64Array([112.95, 28.23, 113.01, 28.19]);
		toDisplayPositions('gcj02', pos);
		expect([pos[0], pos[1]]).toEqual(toDisplay('gcj02', [112.95, 28.23]));
		expect([pos[2], pos[3]]).toEqual(toDisplay('gcj02', [113.01, 28.19]));
	});

	it('takes the view back to WGS84 so the tiles that cover it are fetched', () => {
		const view: [number, number, number, number] = [112.9, 28.2, 113.0, 28.3];
		const wgs = fromDisplayBBox('gcj02', view);
		// GCJ-02 is ~540 m east and ~390 m south of WGS84 here: the WGS84 box is west and north of the drawn one
		expect(wgs[0]).toBeLessThan(view[0] - 0.004);
		expect(wgs[1]).toBeGreaterThan(view[1] + 0.002);
		// and it covers the whole view (the offset changes a little across it: ~17 m over 0.1°)
		const again = toDisplayBBox('gcj02', wgs);
		expect(again[0]).toBeLessThanOrEqual(view[0]);
		expect(again[1]).toBeLessThanOrEqual(view[1]);
		expect(again[2]).toBeGreaterThanOrEqual(view[2]);
		expect(again[3]).toBeGreaterThanOrEqual(view[3]);
		for (let i = 0; i < 4; i++) expect(Math.abs(again[i] - view[i])).toBeLessThan(5e-4);
		expect(fromDisplayBBox('wgs84', view)).toBe(view);
	});

	it('reads MAP_DISPLAY_CRS, naming the setting when it is wrong', () => {
		expect(parseDisplayCrs(undefined)).toBeNull();
		expect(parseDisplayCrs('GCJ02')).toBe('gcj02');
		expect(() => parseDisplayCrs('bd09')).toThrow(/MAP_DISPLAY_CRS 无法识别：“bd09”/);
	});
});
