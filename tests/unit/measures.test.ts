import { describe, expect, it } from 'vitest';
import { breaksFor, classOf, legendFor, measureValue } from '../../src/lib/domain/measures';

const counts = { households: 400, open: 6, overdue: 2, visited90: 300 };

describe('measures', () => {
	it('computes each measure from counts', () => {
		expect([measureValue('open_per_100', counts), measureValue('overdue', counts), measureValue('coverage', counts)]).toEqual([1.5, 2, 75]);
	});
	it('no households: rates have no value, counts do', () => {
		const empty = { households: 0, open: 0, overdue: 0, visited90: 0 };
		expect([measureValue('open_per_100', empty), measureValue('overdue', empty)]).toEqual([null, 0]);
	});
	it('coverage uses fixed policy breaks, low is red', () => {
		const l = legendFor('coverage', []);
		expect(l.classes.map((c) => c.label)).toEqual(['< 30%', '30–50%', '50–70%', '70–85%', '≥ 85%']);
		expect(l.classes[0].color).toBe('#bd0026');
	});
	it('overdue breaks start at 1 so zero is its own class', () => {
		const values = [0, 0, 0, 1, 2, 3, 5, 8, 13, 21];
		expect(breaksFor('overdue', values)).toEqual([1, 3, 8, 21]);
		expect(legendFor('overdue', values).classes.map((c) => c.label)).toEqual(['0', '1–2', '3–7', '8–20', '≥ 21']);
	});
	it('quantile breaks are rounded and increasing', () => {
		const values = Array.from({ length: 100 }, (_, i) => i / 10);
		expect(breaksFor('open_per_100', values)).toEqual([2, 4, 6, 8]);
	});
	it('every value falls in exactly one class', () => {
		const l = legendFor('open_per_100', [0.3, 1.2, 2.5, 4.1, 9.9]);
		expect([0, 1.5, 100].map((v) => classOf(l, v)?.color)).toEqual([l.classes[0].color, l.classes[1].color, l.classes.at(-1)!.color]);
		expect(classOf(l, null)).toBeNull();
	});
});
