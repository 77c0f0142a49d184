import { describe, expect, it } from 'vitest';
import { parseRequestFilter } from '../../src/lib/domain/requestfilter';

describe('request filter: 包联 (pairing)', () => {
	const parse = (qs: string) => parseRequestFilter(new URLSearchParams(qs), new Date('2026-11-30T04:00:00Z'));

	it('reads `pairing`, and `leader` (its old name) so saved links keep working', () => {
		expect(parse('pairing=7').pairing).toBe(7);
		expect(parse('leader=7').pairing).toBe(7);
		expect(parse('pairing=7&leader=9').pairing).toBe(7);
		expect(parse('').pairing).toBeNull();
	});

	it('names the parameter when the value is bad', () => {
		expect(() => parse('pairing=x')).toThrow(expect.objectContaining({ field: 'pairing' }));
		expect(() => parse('leader=x')).toThrow(expect.objectContaining({ field: 'pairing' }));
	});
});
