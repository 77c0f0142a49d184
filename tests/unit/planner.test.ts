import { describe, expect, it } from 'vitest';
import { compareSchedules, schedule, validateDay, type DayInput, type PlannerStop, type Schedule } from '../../src/lib/domain/planner';
import { solveDay } from '../../src/lib/domain/plannersearch';
import { straightLineMatrix } from '../../src/lib/domain/travel';
import { hhmm, parseHhmm } from '../../src/lib/domain/plannertime';
import { Random } from '../../src/lib/domain/random';

/** Exhaustive search written separately from the planner: every subset of optional stops, every order. */
function bruteForce(input: DayInput): Schedule {
	const n = input.stops.length;
	let best: Schedule | null = null;
	const perms = (items: number[]): number[][] =>
		items.length <= 1 ? [items] : items.flatMap((x, i) => perms([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
	for (let mask = 0; mask < 1 << n; mask++) {
		const chosen = [...Array(n).keys()].filter((i) => mask & (1 << i));
		if (input.stops.some((s, i) => s.mustVisit && !chosen.includes(i))) continue;
		for (const order of perms(chosen)) {
			const s = schedule(input, order);
			if (!best || compareSchedules(s, best) < 0) best = s;
		}
	}
	return best!;
}

/** A random day around a town centre: 8:30 start, some appointments, some optional stops. */
function randomDay(rng: Random, n: number): DayInput {
	const pts = Array.from({ length: n + 1 }, () => ({ lon: 112.9 + rng.range(0, 0.12), lat: 28.18 + rng.range(0, 0.1) }));
	const stops: PlannerStop[] = pts.slice(1).map((_, i) => {
		const w = rng.chance(0.25) ? rng.int(9 * 60, 15 * 60) : null;
		return { id: `s${i}`, name: `点${i + 1}`, dwellMin: rng.int(15, 60), mustVisit: rng.chance(0.6), window: w ? { start: w, end: w + rng.int(10, 60) } : null };
	});
	const m = straightLineMatrix([pts[0], ...pts.slice(1), pts[0]]).minutes;
	return { departMin: 510, budgetMin: rng.int(300, 540), lunch: { earliest: 690, latest: 780, durationMin: 60 }, stops, minutes: m };
}

const key = (s: Schedule) => [s.violation, s.value, s.endArrive, s.travelMin].map((x) => Math.round(x * 1000) / 1000);

describe('planner against brute force', () => {
	it('exact mode equals brute force on 40 random days of 6 stops', () => {
		const rng = new Random(7);
		for (let k = 0; k < 40; k++) {
			const day = randomDay(rng, 6);
			expect(key(solveDay(day).schedule)).toEqual(key(bruteForce(day)));
		}
	});
	it('heuristic mode equals brute force on 40 random days of 7 stops', () => {
		const rng = new Random(11);
		let same = 0;
		for (let k = 0; k < 40; k++) {
			const day = randomDay(rng, 7);
			const plan = solveDay(day, { exactMaxStops: 0, iterations: 100 });
			expect(plan.method).toBe('heuristic');
			if (compareSchedules(plan.schedule, bruteForce(day)) <= 1e-6) same++;
		}
		console.log(`[planner] heuristic matched brute force on ${same}/40 days of 7 stops`);
		expect(same).toBe(40);
	});
});

describe('planner behaviour', () => {
	const line = (n: number): DayInput['minutes'] =>
		// points on a line 10 minutes apart: start = 0, stops 1..n at 10·i, end = 0
		Array.from({ length: n + 2 }, (_, i) => Array.from({ length: n + 2 }, (_, j) => 10 * Math.abs((i % (n + 1)) - (j % (n + 1)))));
	const stop = (i: number, extra: Partial<PlannerStop> = {}): PlannerStop => ({ id: `s${i}`, name: `点${i}`, dwellMin: 30, mustVisit: true, ...extra });

	it('waits for an appointment and times every stop', () => {
		const day: DayInput = { departMin: 480, budgetMin: 480, stops: [stop(1), stop(2, { window: { start: 600, end: 610 } })], minutes: line(2) };
		const s = solveDay(day).schedule;
		expect(s.order).toEqual([0, 1]);
		expect([hhmm(s.arrive[0]), hhmm(s.depart[0]), hhmm(s.arrive[1]), hhmm(s.start[1]), hhmm(s.endArrive)]).toEqual(['08:10', '08:40', '08:50', '10:00', '10:50']);
	});
	it('takes lunch inside its window', () => {
		const stops = [stop(1, { dwellMin: 120 }), stop(2, { dwellMin: 120 }), stop(3, { dwellMin: 60 })];
		const s = solveDay({ departMin: 540, budgetMin: 600, lunch: { earliest: 690, latest: 780, durationMin: 60 }, stops, minutes: line(3) }).schedule;
		expect(s.lunch!.start).toBeGreaterThanOrEqual(690);
		expect(s.lunch!.start).toBeLessThanOrEqual(780);
		expect(s.violation).toBe(0);
	});
	it('leaves out an optional stop that does not fit, and says why', () => {
		const stops = [stop(1, { dwellMin: 60 }), stop(2, { dwellMin: 60, mustVisit: false })];
		const plan = solveDay({ departMin: 540, budgetMin: 100, stops, minutes: line(2) });
		expect(plan.feasible).toBe(true);
		expect(plan.leftOut.map((l) => l.id)).toEqual(['s2']);
		expect(plan.leftOut[0].reason).toBe('加入后时间预算为 1小时40分（09:00–10:40），按此路线 11:40 才能返回，超出 1小时');
	});
	it('an infeasible plan says which appointment cannot be met', () => {
		const stops = [stop(1), stop(3, { window: { start: 480, end: 490 } }), stop(2)];
		const plan = solveDay({ departMin: 480, budgetMin: 480, stops, minutes: line(3) });
		expect(plan.feasible).toBe(false);
		expect(plan.problems[0]).toBe('必访点「点3」的预约时段为 08:00–08:10，08:00 出发直达也要 08:20 才能到（路上约 20分钟）');
	});
	it('keeps a locked stop at its position', () => {
		const stops = [stop(1), stop(2), stop(3, { lockedSeq: 1 })];
		expect(solveDay({ departMin: 480, budgetMin: 600, stops, minutes: line(3) }).schedule.order[0]).toBe(2);
	});
	it('rejects bad input naming the field', () => {
		const day: DayInput = { departMin: 480, budgetMin: 480, stops: [stop(1, { dwellMin: -5 })], minutes: line(1) };
		expect(() => validateDay(day)).toThrow('「点1」的停留时间须在 0–600 分钟之间，收到 -5');
		expect(() => validateDay({ ...day, stops: [] })).toThrow('至少需要一个走访点');
		const many = Array.from({ length: 301 }, (_, i) => stop(i + 1));
		expect(() => validateDay({ ...day, stops: many, minutes: line(301) })).toThrow('一天的走访点最多 300 个，收到 301 个');
	});
	it('parses and prints clock times', () => {
		expect(parseHhmm('9:05')).toBe(545);
		expect(parseHhmm('25:00')).toBeNull();
		expect(hhmm(1445)).toBe('00:05+1');
	});
	// its speed is a figure for `npm run bench -- --only planner`, not a timed assertion
	it('plans 25 stops with the heuristic, each visited exactly once, times non-decreasing', () => {
		const day = randomDay(new Random(3), 25);
		day.budgetMin = 1440;
		const plan = solveDay(day, { timeLimitMs: Infinity, iterations: 30 }); // a round budget: no wall clock
		expect(plan.method).toBe('heuristic');
		expect(new Set(plan.schedule.order).size).toBe(plan.schedule.order.length);
		expect(plan.schedule.order.length + plan.leftOut.length).toBe(25);
		for (let i = 1; i < plan.schedule.order.length; i++) expect(plan.schedule.arrive[i]).toBeGreaterThanOrEqual(plan.schedule.depart[i - 1]);
	});
});
