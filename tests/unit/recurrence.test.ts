import { describe, expect, it } from 'vitest';
import { findRecurrences, recurrenceTaskHref } from '../../src/lib/domain/recurrence';
import { PREFILL_PARAMS } from '../../src/lib/domain/requestinput';

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

describe('recurrenceTaskHref (未诉先办 in one tap)', () => {
	const r = { key: 'h42', category: 'municipal.drain', categoryName: '排水不畅', address: '幸福路 12 号', lon: 112.9512346, lat: 28.2212346, count: 4, meanGapDays: 21, expectedNext: '2026-12-20T00:00:00.000Z' };
	it('prefills the report form at the household, with its category and why', () => {
		const q = new URL(recurrenceTaskHref(r, 365), 'http://x').searchParams;
		expect(Object.fromEntries(q)).toEqual({
			lon: '112.951235', lat: '28.221235', categoryCode: 'municipal.drain', channel: 'grid', householdId: '42', address: '幸福路 12 号',
			description: '未诉先办：近 365 天这里已报“排水不畅” 4 次，平均 21 天一次，预计 2026-12-20 前后再发。请提前上门排查处置。'
		});
	});
	it('a place (no household) gets no householdId; every key it sets is one the form reads', () => {
		const q = new URL(recurrenceTaskHref({ ...r, key: 'a幸福路 12 号', address: '' }, 90), 'http://x').searchParams;
		expect(q.has('householdId')).toBe(false);
		expect(q.has('address')).toBe(false);
		for (const k of q.keys()) expect(PREFILL_PARAMS).toContain(k);
	});
});
