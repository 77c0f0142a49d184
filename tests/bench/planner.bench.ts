// Visit-planner figures: TSPLIB gaps against published optima at two time limits, and the time to
// plan a day of 10/25/40 stops with windows, lunch and optional stops.
import { solveDay } from '../../src/lib/domain/plannersearch';
import { tourLength, tsplibMatrix } from '../../src/lib/domain/tsp';
import { straightLineMatrix } from '../../src/lib/domain/travel';
import { Random } from '../../src/lib/domain/random';
import { ATT48, BURMA14, ULYSSES16_INSTANCE, ULYSSES22 } from '../fixtures/tsplib';

export async function benchPlanner(print: (line: string) => void) {
	for (const inst of [BURMA14, ULYSSES16_INSTANCE, ULYSSES22, ATT48]) {
		for (const limit of [300, 3000]) {
			const d = tsplibMatrix(inst.type, inst.coords);
			const nodes = [...d.keys(), 0];
			const minutes = nodes.map((a) => nodes.map((b) => d[a][b] / 100));
			const stops = [...d.keys()].slice(1).map((i) => ({ id: String(i), name: `城市${i + 1}`, dwellMin: 0, mustVisit: true }));
			const t = performance.now();
			const plan = solveDay({ departMin: 0, budgetMin: 1440, stops, minutes }, { timeLimitMs: limit });
			const length = tourLength(d, [0, ...plan.schedule.order.map((i) => i + 1)]);
			print(`tsp ${inst.name} (limit ${limit} ms): ${length} vs optimum ${inst.optimum}, gap ${((100 * (length - inst.optimum)) / inst.optimum).toFixed(2)}%, ${(performance.now() - t).toFixed(0)} ms, ${plan.method}`);
		}
	}
	const rng = new Random(3);
	for (const n of [10, 25, 40]) {
		const pts = Array.from({ length: n + 1 }, () => ({ lon: 112.9 + rng.range(0, 0.12), lat: 28.18 + rng.range(0, 0.1) }));
		const stops = pts.slice(1).map((_, i) => {
			const w = rng.chance(0.25) ? rng.int(9 * 60, 15 * 60) : null;
			return { id: `s${i}`, name: `点${i + 1}`, dwellMin: rng.int(15, 60), mustVisit: rng.chance(0.6), window: w ? { start: w, end: w + rng.int(10, 60) } : null };
		});
		const minutes = straightLineMatrix([pts[0], ...pts.slice(1), pts[0]]).minutes;
		const plan = solveDay({ departMin: 510, budgetMin: 1440, lunch: { earliest: 690, latest: 780, durationMin: 60 }, stops, minutes }, { timeLimitMs: 800 });
		print(`day of ${n} stops: ${plan.ms} ms, ${plan.evaluations} schedules evaluated, ${plan.method}, feasible ${plan.feasible}, left out ${plan.leftOut.length}`);
	}
}
