import { describe, expect, it } from 'vitest';
import { ebSmoothedRates, per100Households } from '../../src/lib/domain/ebsmooth';

describe('empirical-Bayes smoothed rates', () => {
	it('matches the method-of-moments estimate worked by hand', () => {
		// O = 3, 10, 40; P = 12, 200, 800. θ = 53/1012; P̄ = 1012/3
		const O = [3, 10, 40];
		const P = [12, 200, 800];
		const theta = 53 / 1012;
		const s2 = (12 * (3 / 12 - theta) ** 2 + 200 * (10 / 200 - theta) ** 2 + 800 * (40 / 800 - theta) ** 2) / 1012;
		const phi = s2 - theta / (1012 / 3);
		const want = O.map((o, i) => {
			const w = phi / (phi + theta / P[i]);
			return 100 * (w * (o / P[i]) + (1 - w) * theta);
		});
		const got = ebSmoothedRates(O, P);
		for (let i = 0; i < 3; i++) expect(got[i]).toBeCloseTo(want[i], 12);
		// the 12-household grid's 25 per 100 is pulled far towards the district's 5.2; the big ones barely move
		expect(got[0]).toBeLessThan(15);
		expect(Math.abs(got[2] - 5)).toBeLessThan(0.1);
	});
	it('with no spread between grids every grid gets the overall rate; no households gets it too', () => {
		const got = ebSmoothedRates([5, 10, 0], [100, 200, 0]);
		expect(Array.from(got)).toEqual([5, 5, 5]);
		expect(Array.from(ebSmoothedRates([0, 0], [0, 0]))).toEqual([0, 0]);
	});
	it('the plain rate is count ÷ households × 100, the same on every page', () => {
		expect(per100Households(23, 77)).toBeCloseTo(29.87, 2); // grid 430199004006009 showed 23 % less on /hotspots
		expect(per100Households(3, 0)).toBeNull();
	});
});
