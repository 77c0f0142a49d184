import { describe, expect, it } from 'vitest';
import { competitionRanks, formatCount, formatRate, percentNumber, rankLabel } from '../../src/lib/domain/numbers';

describe('rates as shown', () => {
	it('one decimal, rounded half up, never up to 100 % short of 1', () => {
		expect(percentNumber(0.932)).toBe('93.2');
		expect(percentNumber(0.95849)).toBe('95.8');
		expect(percentNumber(0.0951)).toBe('9.5'); // the big screen showed "10"
		expect(percentNumber(0.995)).toBe('99.5'); // and "100" from here up
		expect(percentNumber(0.9996)).toBe('99.9');
		expect(percentNumber(2399 / 2400)).toBe('99.9');
		expect(percentNumber(1)).toBe('100.0');
		expect(percentNumber(0)).toBe('0.0');
	});
	it('nothing to divide is a dash', () => {
		expect(formatRate(null)).toBe('—');
		expect(formatRate(Number.NaN)).toBe('—');
		expect(formatRate(0.5)).toBe('50.0%');
	});
});

describe('competition ranks', () => {
	it('ties share the best rank and the next rank skips ("1224")', () => {
		const r = competitionRanks([{ key: 'a', value: 9 }, { key: 'b', value: 5 }, { key: 'c', value: 5 }, { key: 'd', value: 1 }]);
		expect(['a', 'b', 'c', 'd'].map((k) => r.get(k))).toEqual([
			{ rank: 1, tied: false }, { rank: 2, tied: true }, { rank: 2, tied: true }, { rank: 4, tied: false }
		]);
		expect(rankLabel(r.get('b')!)).toBe('并列第2');
		expect(rankLabel(r.get('d')!)).toBe('第4');
	});
	it('39 grids tied at 5 after 83 better ones are all 并列第84, not 84…122 by code', () => {
		const items = [...Array.from({ length: 83 }, (_, i) => ({ key: `h${i}`, value: 100 - i })), ...Array.from({ length: 39 }, (_, i) => ({ key: `t${i}`, value: 5 }))];
		const r = competitionRanks(items);
		expect(new Set(items.slice(83).map((x) => rankLabel(r.get(x.key)!)))).toEqual(new Set(['并列第84']));
	});
	it('lower is better when asked (overdue counts)', () => {
		const r = competitionRanks([{ key: 'x', value: 0 }, { key: 'y', value: 3 }], 'lower');
		expect(r.get('x')!.rank).toBe(1);
	});
});

describe('formatCount', () => {
	it('writes thousands separators as zh-CN does, and a dash for nothing', () => {
		expect(formatCount(23323)).toBe('23,323');
		expect(formatCount(1000000)).toBe('1,000,000');
		expect(formatCount(999)).toBe('999');
		expect(formatCount(0)).toBe('0');
		expect(formatCount(null)).toBe('—');
		expect(formatCount(Number.NaN)).toBe('—');
	});
});
