// The grid fill colour expression must be one MapLibre accepts for every legend, including a
// single class (a street whose grids all hold the same value: MapLibre refused `step` without a
// stop, and the grids were left uncoloured).
import { createExpression } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { fillExpression } from '../../src/lib/map/gridLayers';
import type { Legend } from '../../src/lib/domain/measures';

const spec = { type: 'color', 'property-type': 'data-driven', expression: { interpolated: false, parameters: ['zoom', 'feature'] } } as const;
const legend = (n: number): Legend => ({
	classes: Array.from({ length: n }, (_, i) => ({ from: i === 0 ? null : i * 2, to: null, color: `#00${i}0${i}0`, label: String(i) })),
	noData: '#cccccc'
}) as unknown as Legend;

describe('grid fill expression', () => {
	for (const n of [1, 2, 5]) {
		it(`is valid with ${n} class(es)`, () => {
			const r = createExpression(fillExpression(legend(n), '#eeeeee'), spec as any);
			expect(r.result, JSON.stringify(r.value)).toBe('success');
		});
	}
});
