import { describe, expect, it } from 'vitest';
import { decodePoints, encodePoints, HEADER_BYTES, morton } from '../../src/lib/domain/pointcodec';
import { packHazard, packHousehold, packRequest, unpackHazard, unpackHousehold, unpackRequest, VISIT_CLASS, visitClass } from '../../src/lib/domain/pointattrs';

const tile = { z: 12, x: 3332, y: 1712 };

describe('pointcodec', () => {
	it('round-trips positions and attributes in the order it reports', () => {
		const [lons, lats, attrs] = [[112.935, 112.93, 112.938], [28.26, 28.25, 28.23], [7, 200, 9]];
		const { bytes, order } = encodePoints('hazards', tile, lons, lats, attrs);
		const d = decodePoints(bytes.buffer);
		expect([d.layer, d.count, d.tile, [...order].sort()]).toEqual(['hazards', 3, tile, [0, 1, 2]]);
		for (let i = 0; i < 3; i++) {
			expect(d.attrs[i]).toBe(attrs[order[i]]);
			expect(Math.abs(d.positions[2 * i] - lons[order[i]]) + Math.abs(d.positions[2 * i + 1] - lats[order[i]])).toBeLessThan(1e-5);
		}
	});
	it('equal positions keep input order and cost one byte each', () => {
		const { bytes, order } = encodePoints('households', tile, [112.93, 112.93, 112.93], [28.25, 28.25, 28.25], [1, 2, 3]);
		expect([...order]).toEqual([0, 1, 2]);
		expect(bytes.byteLength - HEADER_BYTES).toBe(5 + 1 + 1 + 3); // first code 5 bytes, then zero deltas, then attrs
	});
	it('morton interleaves x into even bits and y into odd bits', () => {
		expect([morton(1, 0), morton(0, 1), morton(0xffff, 0xffff), morton(3, 5)]).toEqual([1, 2, 2 ** 32 - 1, 0b100111]);
	});
	it('an empty tile is just the header', () => expect(decodePoints(encodePoints('households', tile, [], [], []).bytes).count).toBe(0));
	it('rejects garbage', () => expect(() => decodePoints(new Uint8Array(30))).toThrow(/bad magic/));
	it('rejects a truncated body', () => {
		const { bytes } = encodePoints('requests', tile, [112.93], [28.25], [1]);
		expect(() => decodePoints(bytes.slice(0, bytes.length - 1))).toThrow(/expected 30/);
	});
});

describe('pointattrs', () => {
	it('household tags and visit class', () => {
		const b = packHousehold(['disabled', 'elderly_alone', 'unknown'], VISIT_CLASS.within90);
		expect(unpackHousehold(b)).toEqual({ tags: ['elderly_alone', 'disabled'], visit: 2, vulnerable: true });
	});
	it('visit classes by days', () => {
		const now = new Date('2025-06-01T00:00:00Z');
		const ago = (d: number) => new Date(now.getTime() - d * 86_400_000);
		expect([visitClass(null, now), visitClass(ago(3), now), visitClass(ago(60), now), visitClass(ago(91), now)]).toEqual([0, 1, 2, 3]);
	});
	it('hazard and request bytes', () => {
		expect(unpackHazard(packHazard(4, 'rectifying', true))).toEqual({ severity: 4, status: 'rectifying', overdue: true });
		expect(unpackRequest(packRequest('escalated', true, false))).toEqual({ status: 'escalated', overdue: true, urgent: false });
		expect(() => packRequest('lost', false, false)).toThrow(/unknown status lost/);
	});
});
