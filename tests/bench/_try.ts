import { solveDay } from '../../src/lib/domain/plannersearch';
import { straightLineMatrix } from '../../src/lib/domain/travel';
import { Random } from '../../src/lib/domain/random';
const rng = new Random(3);
for (const n of [10, 25, 25, 25, 300, 300]) {
	const pts = Array.from({ length: n + 1 }, () => ({ lon: 112.9 + rng.range(0, 0.12), lat: 28.18 + rng.range(0, 0.1) }));
	const stops = pts.slice(1).map((_, i) => {
		const w = rng.chance(0.25) ? rng.int(9 * 60, 15 * 60) : null;
		return { id: `s${i}`, name: `点${i + 1}`, dwellMin: rng.int(15, 60), mustVisit: rng.chance(0.6), window: w ? { start: w, end: w + rng.int(10, 60) } : null };
	});
	const minutes = straightLineMatrix([pts[0], ...pts.slice(1), pts[0]]).minutes;
	const c = process.cpuUsage();
	const t = performance.now();
	const plan = solveDay({ departMin: 510, budgetMin: 1440, lunch: { earliest: 690, latest: 780, durationMin: 60 }, stops, minutes }, { timeLimitMs: 800 });
	const cu = process.cpuUsage(c);
	console.log(n, (performance.now() - t).toFixed(0), 'wall ms', ((cu.user + cu.system) / 1000).toFixed(0), 'cpu ms', plan.leftOut.length);
}
