import { describe, expect, it } from 'vitest';
import { findRecurrences } from '../../src/lib/domain/recurrence';

const D = 86_400_000;
describe('recurrence (未诉先办)', () => {
	it('groups same key and kind, gives the mean gap and the expected next report', () => {
		const items = [
			{ key: 'h1', category: 'property.leak', at: 0 }, { key: 'h1', category: 'property.leak', at: 30 * D },
			{ key: 'h1', category: 'property.leak', at: 60 * D }, { key: 'h1', category: 'property.elevator', at: 10 * D },
			{ key: 'h2', category: 'property.leak', at: 5 * D }, { key: 'h2', category: 'property.leak', at: 6 * D }
		];
		const r = findRecurrences(items, { minCount: 3, now: 70 * D });
		expect(r).toEqual([{ key: 'h1', category: 'property.leak', count: 3, first: 0, last: 60 * D, meanGapDays: 30, expectedNext: 90 * D, due: false }]);
		expect(findRecurrences(items, { minCount: 2, now: 70 * D }).map((x) => [x.key, x.due])).toEqual([['h1', false], ['h2', true]]);
	});
	it('refuses minCount below 2', () => {
		expect(() => findRecurrences([], { minCount: 1 })).toThrow('findRecurrences: minCount must be an integer ≥ 2, got 1');
	});
});
