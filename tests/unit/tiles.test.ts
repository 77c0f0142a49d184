import { describe, expect, it } from 'vitest';
import { bboxOfCoordinates, dequantize, isValidTile, quantize, tileBBox, tilesCovering } from '../../src/lib/domain/tiles';

describe('tiles', () => {
	it('tile bbox of z1 quadrant', () => {
		const [w, s, e, n] = tileBBox({ z: 1, x: 1, y: 0 });
		expect([w, s, e, n.toFixed(4)]).toEqual([0, 0, 180, '85.0511']);
	});
	it('covers a bbox with the right tiles', () => {
		const t = tilesCovering([112.9, 28.15, 113.05, 28.3], 12);
		expect(t.map((x) => `${x.x}/${x.y}`)).toEqual(['3332/1712', '3333/1712', '3334/1712', '3332/1713', '3333/1713', '3334/1713']);
	});
	it('refuses too many tiles', () => expect(() => tilesCovering([100, 20, 120, 40], 12, 10)).toThrow(/more than 10/));
	it('validates tile coordinates', () => {
		expect([isValidTile({ z: 2, x: 3, y: 3 }), isValidTile({ z: 2, x: 4, y: 0 }), isValidTile({ z: 2, x: 1.5, y: 0 })]).toEqual([true, false, false]);
	});
	it('quantises to within 0.2 m at zoom 12', () => {
		const tile = { z: 12, x: 3332, y: 1712 };
		const [lon, lat] = dequantize(...quantize(112.93456, 28.23456, tile), tile);
		expect(Math.abs(lon - 112.93456) * 98_000).toBeLessThan(0.2);
		expect(Math.abs(lat - 28.23456) * 111_000).toBeLessThan(0.2);
	});
	it('bbox of nested coordinates', () => {
		expect(bboxOfCoordinates([[[[1, 2], [3, -1], [0, 5]]]])).toEqual([0, -1, 3, 5]);
	});
});
