import { describe, expect, it } from 'vitest';
import { Random } from '../../src/lib/domain/random';

describe('Random', () => {
	it('repeats the same sequence for the same seed', () => {
		const a = new Random(42), b = new Random(42);
		expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
	});
	it('gives different sequences for different seeds and forks', () => {
		expect(new Random(1).next()).not.toBe(new Random(2).next());
		const r = new Random(7);
		expect(r.fork('a').next()).not.toBe(r.fork('b').next());
	});
	it('keeps int() inside its inclusive bounds and reaches both ends', () => {
		const r = new Random(3);
		const seen = new Set(Array.from({ length: 2000 }, () => r.int(1, 4)));
		expect([...seen].sort()).toEqual([1, 2, 3, 4]);
	});
	it('draws weighted indexes in proportion', () => {
		const r = new Random(5);
		let ones = 0;
		for (let i = 0; i < 10_000; i++) ones += r.weighted([1, 3]);
		expect(ones / 10_000).toBeGreaterThan(0.72);
		expect(ones / 10_000).toBeLessThan(0.78);
	});
	it('rejects a non-integer seed', () => {
		expect(() => new Random(1.5)).toThrow(/seed must be an integer/);
	});
});
