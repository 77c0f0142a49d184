import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGETS, formatKpi, kpiValue, overallRag, ragOf } from '../../src/lib/domain/kpi';

describe('红黄绿 against the target (domain.md)', () => {
	it('rates: green at or above the target, amber within 5 points below, red further below', () => {
		expect(ragOf('satisfaction_rate', 0.9)).toBe('green'); // target 90 %
		expect(ragOf('satisfaction_rate', 9 / 10)).toBe('green');
		expect(ragOf('satisfaction_rate', 0.86)).toBe('amber');
		expect(ragOf('satisfaction_rate', 0.85)).toBe('amber');
		expect(ragOf('satisfaction_rate', 0.849)).toBe('red');
		expect(ragOf('accept_rate', 0.93)).toBe('amber'); // target 95 %
		expect(ragOf('visit_coverage', 0.6)).toBe('green'); // target 60 %
		expect(ragOf('satisfaction_rate', null)).toBe('none');
	});
	it('超期数: green at 0, amber up to 2 per 1 000 households, red above; a place with none overdue is green', () => {
		expect(ragOf('overdue', 0, { households: 900 })).toBe('green');
		expect(ragOf('overdue', 2, { households: 1000 })).toBe('amber');
		expect(ragOf('overdue', 3, { households: 1000 })).toBe('red');
		expect(ragOf('overdue', 10, { households: 5000 })).toBe('amber');
		expect(ragOf('overdue', 2, { households: null })).toBe('amber'); // a department: 2 items
		expect(ragOf('overdue', 3, {})).toBe('red');
	});
	it('targets an admin changed are used instead of the defaults', () => {
		const targets = { ...DEFAULT_TARGETS, satisfaction_rate: 0.8 };
		expect(ragOf('satisfaction_rate', 0.82, { targets })).toBe('green');
		expect(ragOf('satisfaction_rate', 0.82)).toBe('red');
		expect(ragOf('overdue', 4, { targets: { ...DEFAULT_TARGETS, overdue: 5 }, households: 100 })).toBe('green');
	});
	it('an area is as red as its worst KPI, and a rate never shows 100 % short of it', () => {
		const vs = [kpiValue('accept_rate', 19, 20), kpiValue('satisfaction_rate', 2399, 2400), kpiValue('overdue', 0, null, { households: 50 })];
		expect(vs.map((v) => v.rag)).toEqual(['green', 'green', 'green']);
		expect(overallRag([...vs, kpiValue('close_rate', 8, 10)])).toBe('red');
		expect(formatKpi(vs[1])).toBe('99.9%');
	});
});
