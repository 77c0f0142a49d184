// A plan over several days (up to a week): the stops are shared out over the days, each day with
// its own departure, time budget and lunch, then every day is ordered and timed by the day planner.
// Cluster first, route second: each day in turn is seeded with the farthest stop left and grown by
// cheapest insertion while a simple estimate (travel along the day's path, dwell, lunch) fits its
// budget, so a day keeps to one part of the district; solveDay then orders and times each day on
// its full schedule. Must-visit stops are shared out before optional ones; stops no day can take
// are returned with the reason.
// An appointment window is a time of day and holds on whichever day the stop falls; locked
// positions belong to one day and are refused here.
import { Deadline } from './deadline';
import { MAX_STOPS, PlannerInputError, validateDay, type DayInput, type LunchBreak, type PlannerStop } from './planner';
import { SOLVE_DEFAULTS, solveDay, type DayPlan, type SolveOptions } from './plannersearch';

export const MAX_DAYS = 7;

export interface WeekDay {
	/** the day's label, e.g. its date YYYY-MM-DD */
	date: string;
	departMin: number;
	budgetMin: number;
	lunch?: LunchBreak | null;
}

export interface WeekInput {
	days: WeekDay[];
	stops: PlannerStop[];
	/** minutes[i][j], (n + 2)², 0 = start, 1..n = stops, n + 1 = end: the same every day */
	minutes: number[][];
}

export interface WeekDayPlan {
	date: string;
	/** indices into WeekInput.stops, in visiting order */
	order: number[];
	plan: DayPlan;
}

export interface WeekPlan {
	days: WeekDayPlan[];
	/** stops no day took (index into WeekInput.stops), with why */
	unplanned: { index: number; id: string; name: string; mustVisit: boolean; reason: string }[];
	/** every day feasible and every must-visit stop planned */
	feasible: boolean;
	ms: number;
}

/** Throws PlannerInputError naming the field (Chinese: it reaches the user). */
export function validateWeek(input: WeekInput): void {
	const { days, stops } = input;
	if (!Array.isArray(days) || days.length === 0) throw new PlannerInputError('days', '至少需要一天');
	if (days.length > MAX_DAYS) throw new PlannerInputError('days', `多日计划最多 ${MAX_DAYS} 天，收到 ${days.length} 天`);
	days.forEach((d, i) => {
		try {
			validateDay({ ...input, departMin: d.departMin, budgetMin: d.budgetMin, lunch: d.lunch ?? null });
		} catch (e) {
			if (e instanceof PlannerInputError && ['departMin', 'budgetMin', 'lunch', 'lunch.durationMin'].includes(e.field)) {
				throw new PlannerInputError(`days[${i}].${e.field}`, `第 ${i + 1} 天（${d.date}）：${e.message}`);
			}
			throw e;
		}
	});
	stops.forEach((s, i) => {
		if (s.lockedSeq != null) throw new PlannerInputError(`stops[${i}].lockedSeq`, `多日计划不能锁定顺序：「${s.name}」锁定在第 ${s.lockedSeq} 位`);
	});
	if (stops.length > MAX_STOPS) throw new PlannerInputError('stops', `多日计划的走访点最多 ${MAX_STOPS} 个，收到 ${stops.length} 个`);
}

/** The day's input for some of the week's stops: those stops and their rows of the matrix. */
function dayInput(input: WeekInput, day: WeekDay, picked: number[]): DayInput {
	const n = input.stops.length;
	const node = [0, ...picked.map((i) => i + 1), n + 1];
	return {
		departMin: day.departMin, budgetMin: day.budgetMin, lunch: day.lunch ?? null,
		stops: picked.map((i) => ({ ...input.stops[i], lockedSeq: null })),
		minutes: node.map((a) => node.map((b) => input.minutes[a][b]))
	};
}

/**
 * Shares the stops out over the days and plans each day. `timeLimitMs` is for the whole week,
 * shared by the days; `iterations`/`kicks` per day.
 */
export function solveWeek(input: WeekInput, options: SolveOptions = {}): WeekPlan {
	const o = { ...SOLVE_DEFAULTS, ...options };
	const started = performance.now();
	const deadline = new Deadline(o.timeLimitMs);
	validateWeek(input);
	const { stops, minutes: M, days } = input;
	const n = stops.length;
	// day by day: the farthest stop left seeds the day, then the stop that adds least (cheapest
	// insertion into the day's path, dwell included) while the estimate fits the day's budget
	const runs: number[][] = days.map(() => []);
	const used = new Uint8Array(n);
	const node = (run: number[], k: number) => (k < 0 ? 0 : k >= run.length ? n + 1 : run[k] + 1);
	for (const mustPass of [true, false]) {
		days.forEach((day, d) => {
			let run = runs[d];
			let est = (day.lunch?.durationMin ?? 0) + (run.length ? estimate(run) : M[0][n + 1]);
			for (;;) {
				let best = -1;
				let bestAt = 0;
				let bestAdd = Infinity;
				for (let i = 0; i < n; i++) {
					if (used[i] || stops[i].mustVisit !== mustPass) continue;
					if (!run.length) {
						// the seed: farthest from the start and end, so the day goes where the outliers are
						const add = M[0][i + 1] + M[i + 1][n + 1] - M[0][n + 1] + stops[i].dwellMin;
						if (est + add <= day.budgetMin && (best < 0 || -add < -bestAdd)) [best, bestAt, bestAdd] = [i, 0, add];
						continue;
					}
					for (let k = 0; k <= run.length; k++) {
						const a = node(run, k - 1);
						const b = node(run, k);
						const add = M[a][i + 1] + M[i + 1][b] - M[a][b] + stops[i].dwellMin;
						if (add < bestAdd && est + add <= day.budgetMin) [best, bestAt, bestAdd] = [i, k, add];
					}
				}
				if (best < 0) break;
				run = [...run.slice(0, bestAt), best, ...run.slice(bestAt)];
				est += bestAdd;
				used[best] = 1;
			}
			runs[d] = run;
		});
	}
	/** travel along the run from start to end, dwell and lunch, minutes */
	function estimate(run: number[]): number {
		let t = M[0][run[0] + 1] + M[run[run.length - 1] + 1][n + 1];
		for (let k = 0; k < run.length; k++) t += stops[run[k]].dwellMin + (k ? M[run[k - 1] + 1][run[k] + 1] : 0);
		return t;
	}

	const out: WeekDayPlan[] = [];
	const unplanned: WeekPlan['unplanned'] = [];
	days.forEach((day, d) => {
		const run = runs[d];
		if (!run.length) {
			out.push({ date: day.date, order: [], plan: emptyDay() });
			return;
		}
		const share = deadline.remainingMs() / (days.length - d);
		const plan = solveDay(dayInput(input, day, run), { ...o, timeLimitMs: share });
		out.push({ date: day.date, order: plan.schedule.order.map((k) => run[k]), plan });
		for (const l of plan.leftOut) unplanned.push({ index: run[l.index], id: l.id, name: l.name, mustVisit: stops[run[l.index]].mustVisit, reason: `${day.date}：${l.reason}` });
	});
	stops.forEach((s, i) => {
		if (!used[i]) unplanned.push({ index: i, id: s.id, name: s.name, mustVisit: s.mustVisit, reason: `${days.length} 天的时间预算都已排满` });
	});
	unplanned.sort((a, b) => a.index - b.index);
	const feasible = out.every((x) => x.plan.feasible) && !unplanned.some((u) => u.mustVisit);
	return { days: out, unplanned, feasible, ms: Math.round(performance.now() - started) };
}

function emptyDay(): DayPlan {
	const schedule = {
		order: [], arrive: [], start: [], depart: [], travel: [], late: [], lunch: null,
		endArrive: 0, travelMin: 0, waitMin: 0, overBudget: 0, violation: 0, value: 0
	};
	return { feasible: true, schedule, leftOut: [], problems: [], method: 'exact', evaluations: 0, kicks: 0, ms: 0 };
}
