import { describe, expect, it } from 'vitest';
import { solveWeek, type WeekInput } from '../../src/lib/domain/plannerweek';
import { straightLineMatrix } from '../../src/lib/domain/travel';
import { Random } from '../../src/lib/domain/random';

const OFFICE = { lon: 112.96, lat: 28.23 };

/** `perCluster` households around each of `clusters` villages east of the office, 30 min each. */
function week(clusters: number, perCluster: number, days: number, budgetMin = 480): WeekInput {
	const rng = new Random(5);
	const pts = Array.from({ length: clusters * perCluster }, (_, i) => ({ lon: 112.96 + 0.08 * (1 + Math.floor(i / perCluster)) + rng.range(0, 0.01), lat: 28.23 + rng.range(0, 0.01) }));
	const stops = pts.map((_, i) => ({ id: `h${i}`, name: `住户${i + 1}`, dwellMin: 30, mustVisit: true }));
	return {
		days: Array.from({ length: days }, (_, d) => ({ date: `2026-12-0${d + 1}`, departMin: 510, budgetMin, lunch: { earliest: 690, latest: 780, durationMin: 60 } })),
		stops, minutes: straightLineMatrix([OFFICE, ...pts, OFFICE]).minutes
	};
}
const opts = { timeLimitMs: Infinity, iterations: 20, kicks: 500 };

describe('multi-day plans (a week, each day its own budget)', () => {
	it('shares 30 stops in three villages over 5 days: every stop once, every day within its budget', () => {
		const input = week(3, 10, 5);
		const plan = solveWeek(input, opts);
		expect(plan.feasible).toBe(true);
		expect(plan.unplanned).toEqual([]);
		const all = plan.days.flatMap((d) => d.order);
		expect(all.length).toBe(30);
		expect(new Set(all).size).toBe(30);
		for (const d of plan.days) {
			expect(d.plan.feasible).toBe(true);
			if (d.order.length) expect(d.plan.schedule.endArrive).toBeLessThanOrEqual(510 + 480 + 1e-6);
		}
		// a day's dwell alone is at most 8 h − lunch: 30 stops × 30 min need at least 3 days
		expect(plan.days.filter((d) => d.order.length).length).toBeGreaterThanOrEqual(3);
	});
	it('a day budget per day: a short day takes fewer stops than a long one', () => {
		const input = week(2, 12, 2);
		input.days[0].budgetMin = 240;
		const plan = solveWeek(input, opts);
		expect(plan.days[0].order.length).toBeLessThan(plan.days[1].order.length);
		expect(plan.days[0].plan.schedule.endArrive).toBeLessThanOrEqual(510 + 240 + 1e-6);
	});
	it('says which must-visit stops the week cannot take, and is then infeasible', () => {
		const plan = solveWeek(week(3, 10, 1), opts);
		expect(plan.feasible).toBe(false);
		const missing = plan.unplanned.filter((u) => u.mustVisit);
		expect(missing.length).toBeGreaterThan(0);
		expect(missing[0].reason).toBe('1 天的时间预算都已排满');
		expect(plan.days[0].order.length + plan.unplanned.length).toBe(30);
	});
	it('is deterministic with an iteration budget', () => {
		const a = solveWeek(week(3, 10, 5), opts);
		const b = solveWeek(week(3, 10, 5), opts);
		expect(a.days.map((d) => d.order)).toEqual(b.days.map((d) => d.order));
	});
	it('refuses more than 7 days and locked positions, naming the field', () => {
		expect(() => solveWeek(week(1, 3, 8), opts)).toThrow('多日计划最多 7 天，收到 8 天');
		const locked = week(1, 3, 2);
		locked.stops[1].lockedSeq = 1;
		expect(() => solveWeek(locked, opts)).toThrow(expect.objectContaining({ field: 'stops[1].lockedSeq' }));
		const badDay = week(1, 3, 2);
		badDay.days[1].budgetMin = 0;
		expect(() => solveWeek(badDay, opts)).toThrow(expect.objectContaining({ field: 'days[1].budgetMin' }));
	});
});
