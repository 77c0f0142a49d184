import { describe, expect, it } from 'vitest';
import { emergingPattern, mannKendall } from '../../src/lib/domain/emerging';

describe('emerging patterns', () => {
	it('classifies z-series oldest first', () => {
		expect(emergingPattern([0.1, -0.3, 0.5, 0.2, 0.4, 2.5])).toBe('new');
		expect(emergingPattern([0.1, 0.4, 0.9, 1.5, 2.2, 3.1])).toBe('intensifying');
		expect(emergingPattern([2.5, 3.0, 2.2, 2.8, 2.4, 2.6])).toBe('persistent');
		expect(emergingPattern([3.2, 2.8, 2.1, 1.2, 0.5, 0.1])).toBe('diminishing');
		expect(emergingPattern([0.2, 2.4, 0.1, 0.3, 2.1, 0.2])).toBe('sporadic');
		expect(emergingPattern([0, 0.5, 1, 1.5, 1.9, 1.2])).toBe('none');
	});
	it('Mann–Kendall S and p for a rising series of 6 (S = 15)', () => {
		const { s, p } = mannKendall([1, 2, 3, 4, 5, 6]);
		expect(s).toBe(15);
		// var = 6·5·17/18 = 28.333; z = 14/5.3229 = 2.6301; one-sided p = 0.004267
		expect(p).toBeCloseTo(0.0042672, 6);
	});
});
