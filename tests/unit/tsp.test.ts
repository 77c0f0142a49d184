import { describe, expect, it } from 'vitest';
import { heldKarp, tourLength, tsplibDistance, tsplibMatrix } from '../../src/lib/domain/tsp';
import { solveDay } from '../../src/lib/domain/plannersearch';
import { ATT48, BERLIN52, BURMA14, EIL51, KROA100, ULYSSES16_INSTANCE, ULYSSES22, type TsplibInstance } from '../fixtures/tsplib';

/**
 * The planner on a TSP: start = end = city 1, every other city a must-visit stop with no dwell.
 * The search runs a fixed number of double-bridge kicks and no wall-clock limit, so the tour is the
 * same on an idle and on a loaded machine (its speed is a figure of `npm run bench -- --only planner`).
 */
function plannerTour(inst: TsplibInstance, kicks = 2000) {
	const d = tsplibMatrix(inst.type, inst.coords);
	const nodes = [...d.keys(), 0];
	// scaled so the longest tour fits in one day of "minutes"; the order is what is compared
	const minutes = nodes.map((a) => nodes.map((b) => d[a][b] / 100));
	const stops = [...d.keys()].slice(1).map((i) => ({ id: String(i), name: `城市${i + 1}`, dwellMin: 0, mustVisit: true }));
	const started = Date.now();
	const plan = solveDay({ departMin: 0, budgetMin: 1440, stops, minutes }, { kicks, timeLimitMs: Infinity });
	const tour = [0, ...plan.schedule.order.map((i) => i + 1)];
	expect(new Set(tour).size).toBe(d.length);
	const length = tourLength(d, tour);
	console.log(`[tsp] ${inst.name}: planner ${length}, optimum ${inst.optimum}, gap ${((100 * (length - inst.optimum)) / inst.optimum).toFixed(2)}% in ${Date.now() - started} ms, ${plan.kicks} kicks (${plan.method})`);
	return length;
}

describe('TSPLIB distances', () => {
	it('ATT rounds up when nint falls short', () => {
		expect(tsplibDistance('ATT', [0, 0], [10, 0])).toBe(4); // sqrt(10) = 3.16 → 3 < 3.16 → 4
		expect(tsplibDistance('EUC_2D', [0, 0], [3, 4])).toBe(5);
	});
	it('GEO reads DDD.MM as degrees and minutes', () => {
		expect(tsplibDistance('GEO', [16.47, 96.1], [16.47, 94.44])).toBe(153);
	});
});

describe('Held–Karp against published optima', () => {
	it('burma14 = 3323', () => expect(heldKarp(tsplibMatrix('GEO', BURMA14.coords)).length).toBe(3323));
	it('ulysses16 = 6859', () => {
		const d = tsplibMatrix('GEO', ULYSSES16_INSTANCE.coords);
		const r = heldKarp(d);
		expect(r.length).toBe(6859);
		expect(tourLength(d, r.tour)).toBe(6859);
		expect(new Set(r.tour).size).toBe(16);
	});
	it('refuses more than 16 nodes', () => expect(() => heldKarp(tsplibMatrix('GEO', ULYSSES22.coords))).toThrow('heldKarp: at most 16 nodes, got 22'));
});

describe('planner heuristic on TSPLIB instances', () => {
	it('burma14 reaches the optimum 3323', () => expect(plannerTour(BURMA14)).toBe(3323));
	it('ulysses16 reaches the optimum 6859', () => expect(plannerTour(ULYSSES16_INSTANCE)).toBe(6859));
	it('ulysses22 reaches the optimum 7013', () => expect(plannerTour(ULYSSES22)).toBe(7013));
	it('att48 is within 1% of the optimum 10628', () => expect(plannerTour(ATT48)).toBeLessThanOrEqual(10628 * 1.01));
	it('att48 with a small budget (100 kicks) stays within 5%', () => expect(plannerTour(ATT48, 100)).toBeLessThanOrEqual(10628 * 1.05));
	it('eil51, berlin52 and kroA100 are within 1% of their optima', () => {
		for (const inst of [EIL51, BERLIN52, KROA100]) expect(plannerTour(inst)).toBeLessThanOrEqual(inst.optimum * 1.01);
	});
	it('the same kick budget gives the same tour (no wall clock in it)', () => expect(plannerTour(BERLIN52, 300)).toBe(plannerTour(BERLIN52, 300)));
});
