import { describe, expect, it } from 'vitest';
import { decodePoints, encodePoints, HEADER_BYTES } from '../../src/lib/domain/pointcodec';
import { packHazard, packHousehold, packRequest, unpackHazard, unpackHousehold, unpackRequest, VISIT_CLASS, visitClass } from '../../src/lib/domain/pointattrs';

const tile = { z: 12, x: 3332, y: 1712 };

describe('pointcodec', () => {
	it('round-trips positions and attributes in 5 bytes a point', () => {
		const bytes = encodePoints('hazards', tile, [112.93, 112.935], [28.25, 28.26], [7, 200]);
		expect(bytes.byteLength).toBe(HEADER_BYTES + 10);
		const d = decodePoints(bytes.buffer);
		expect([d.layer, d.count, d.tile, [...d.attrs]]).toEqual(['hazards', 2, tile, [7, 200]]);
		expect(Math.abs(d.positions[2] - 112.935)).toBeLessThan(1e-5);
		expect(Math.abs(d.positions[3] - 28.26)).toBeLessThan(1e-5);
	});
	it('an empty tile is just the header', () => expect(decodePoints(encodePoints('households', tile, [], [], [])).count).toBe(0));
	it('rejects garbage', () => expect(() => decodePoints(new Uint8Array(30))).toThrow(/bad magic/));
	it('rejects a truncated body', () => {
		const bytes = encodePoints('requests', tile, [112.93], [28.25], [1]);
		expect(() => decodePoints(bytes.slice(0, bytes.length - 1))).toThrow(/expected 29/);
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
