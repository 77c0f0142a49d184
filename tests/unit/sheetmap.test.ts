import { describe, expect, it } from 'vitest';
import { Geodesic } from 'geographiclib-geodesic';
import { roundScaleMetres, sheetMap, type SheetMapPoint } from '../../src/lib/domain/sheetmap';

const pts: SheetMapPoint[] = [
	{ lon: 112.91, lat: 28.21, mark: '起', kind: 'start' },
	{ lon: 112.92, lat: 28.22, mark: '1', kind: 'stop' },
	{ lon: 112.97, lat: 28.23, mark: '2', kind: 'stop' },
	{ lon: 112.91, lat: 28.21, mark: '终', kind: 'end' }
];
const box = (x0: number, x1: number): [number, number][][][] => [[[[x0, 28.2], [x1, 28.2], [x1, 28.25], [x0, 28.25], [x0, 28.2]]]];

describe('the route sheet map', () => {
	const m = sheetMap(pts, [{ polygons: box(112.9, 112.95) }, { polygons: box(112.95, 113) }], 703, 416, 24);

	it('fits everything inside the box, with its padding, and touches the padding on one axis', () => {
		const xs = m.points.map((p) => p.x), ys = m.points.map((p) => p.y);
		const nums = [...m.outlines.join('').matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((g) => [+g[1], +g[2]]);
		const allX = [...xs, ...nums.map((n) => n[0])], allY = [...ys, ...nums.map((n) => n[1])];
		expect(Math.min(...allX)).toBeGreaterThanOrEqual(23.9);
		expect(Math.max(...allX)).toBeLessThanOrEqual(703 - 23.9);
		expect(Math.min(...allY)).toBeGreaterThanOrEqual(23.9);
		expect(Math.max(...allY)).toBeLessThanOrEqual(416 - 23.9);
		const fillsX = Math.min(...allX) < 24.5 && Math.max(...allX) > 703 - 24.5;
		const fillsY = Math.min(...allY) < 24.5 && Math.max(...allY) > 416 - 24.5;
		expect(fillsX || fillsY, 'the drawing is as large as the box allows').toBe(true);
	});

	it('keeps north up and east right', () => {
		const [start, one, two] = m.points;
		expect(two.x).toBeGreaterThan(one.x);
		expect(two.y).toBeLessThan(one.y);
		expect(one.y).toBeLessThan(start.y);
	});

	it('draws one 起/终 marker where the route ends where it began, and the route through every point', () => {
		expect(m.points.map((p) => p.mark)).toEqual(['起/终', '1', '2']);
		expect(m.route.match(/[ML]/g)).toHaveLength(4);
	});

	it('has a scale bar whose length is the ground distance it names, to 0.5 %', () => {
		const [start, , two] = m.points;
		const g = Geodesic.WGS84.Inverse(28.21, 112.91, 28.23, 112.97);
		const px = Math.hypot(two.x - start.x, two.y - start.y);
		const metresPerPx = g.s12! / px;
		const label = m.scale.label;
		const metres = label.endsWith('公里') ? parseFloat(label) * 1000 : parseFloat(label);
		expect(Math.abs(m.scale.px * metresPerPx - metres) / metres).toBeLessThan(0.005);
		expect(m.scale.px).toBeGreaterThan(0);
		expect(m.scale.px).toBeLessThanOrEqual(703 * 0.25 + 0.1);
	});

	it('draws one place at a 1 km scale, and nothing without places', () => {
		const one = sheetMap([pts[1]], [], 400, 300, 20);
		expect(one.points[0]).toMatchObject({ x: 200, y: 150 });
		expect(one.scale.label).toMatch(/米$/);
		expect(sheetMap([], [], 400, 300).points).toEqual([]);
	});

	it('rounds the scale to 1, 2 or 5 × 10^k metres', () => {
		expect([roundScaleMetres(1234), roundScaleMetres(2500), roundScaleMetres(999), roundScaleMetres(7)]).toEqual([1000, 2000, 500, 5]);
	});
});
