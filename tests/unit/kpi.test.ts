import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGETS, DEFAULT_VISIT_DAYS, formatKpi, kpiValue, overallRag, parseTargetPercent, ragOf, TARGET_KPIS, targetPercent, targetsFrom, visitDaysParam } from '../../src/lib/domain/kpi';

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

describe('KPI targets an admin configures (/admin/kpi-targets)', () => {
	it('reads a percentage 0–100 with at most one decimal; empty means the default; else names the KPI', () => {
		expect(parseTargetPercent('satisfaction_rate', '92.5')).toBe(92.5);
		expect(parseTargetPercent('satisfaction_rate', 80)).toBe(80);
		expect(parseTargetPercent('satisfaction_rate', ' 100 ')).toBe(100);
		expect(parseTargetPercent('satisfaction_rate', '1.1')).toBe(1.1);
		expect(parseTargetPercent('satisfaction_rate', '')).toBeNull();
		expect(parseTargetPercent('satisfaction_rate', null)).toBeNull();
		for (const bad of ['100.1', '-1', 'abc', '9x', '1e2', true, {}]) {
			expect(() => parseTargetPercent('accept_rate', bad), String(bad)).toThrow(expect.objectContaining({ field: 'accept_rate', status: 400 }));
		}
		expect(() => parseTargetPercent('accept_rate', '92.55')).toThrow(/受理率的目标值（accept_rate）最多保留 1 位小数/);
		expect(() => parseTargetPercent('accept_rate', '101')).toThrow(/0 到 100/);
	});
	it('only rates are configurable; configured percentages override the defaults, the rest stay', () => {
		expect(TARGET_KPIS).not.toContain('overdue');
		expect(TARGET_KPIS).toContain('hazard_rate');
		const t = targetsFrom({ satisfaction_rate: 80, overdue: 7, nonsense: 1 });
		expect(t).toEqual({ ...DEFAULT_TARGETS, satisfaction_rate: 0.8 });
		expect(targetPercent(DEFAULT_TARGETS.accept_rate)).toBe(95);
		expect(targetPercent(0.925)).toBe(92.5);
	});
	it('the colour rule at a configured target: green at it, amber within 5 points, red below', () => {
		const targets = targetsFrom({ satisfaction_rate: 92.5 });
		expect(ragOf('satisfaction_rate', 0.925, { targets })).toBe('green');
		expect(ragOf('satisfaction_rate', 0.924, { targets })).toBe('amber');
		expect(ragOf('satisfaction_rate', 0.875, { targets })).toBe('amber');
		expect(ragOf('satisfaction_rate', 0.874, { targets })).toBe('red');
		// the same value under the default (90 %) is green: the target decides, not the value alone
		expect(ragOf('satisfaction_rate', 0.924)).toBe('green');
		// 0 % target: everything green; 100 %: only the whole
		expect(ragOf('accept_rate', 0, { targets: targetsFrom({ accept_rate: 0 }) })).toBe('green');
		expect(ragOf('accept_rate', 999 / 1000, { targets: targetsFrom({ accept_rate: 100 }) })).toBe('amber');
	});
});

describe('visitDaysParam', () => {
	it('is DEFAULT_VISIT_DAYS unless given, 1–365, naming the field', () => {
		expect([visitDaysParam(null), visitDaysParam(''), visitDaysParam('30')]).toEqual([DEFAULT_VISIT_DAYS, DEFAULT_VISIT_DAYS, 30]);
		expect(() => visitDaysParam('0')).toThrow(/走访天数/);
		expect(() => visitDaysParam('x')).toThrow(/days/);
	});
});
