// The search of the day planner (model in planner.ts): every order of the stops for small plans;
// beyond that the must-visit stops are first ordered by distance alone (tspsearch.ts: 2-opt and
// Or-opt on neighbour lists, double-bridge kicks), then, when the day has appointments, a lunch
// break, locked or optional stops, that order and a cheapest insertion by appointment are improved
// on the full schedule (2-opt, Or-opt, dropping an optional stop) with seeded perturbation rounds.
// Optional stops are added while they fit; those left out get a reason. One Deadline object goes
// down to every loop, so the whole solve keeps the time limit. Deterministic in round-budget mode
// (timeLimitMs: Infinity): the same input and seed give the same plan.
import { Deadline } from './deadline';
import { Random } from './random';
import { shortestPath } from './tspsearch';
import { compareSchedules, describeViolations, schedule, validateDay, type DayInput, type Schedule } from './planner';
import { duration, hhmm } from './plannertime';

export interface SolveOptions {
	/** up to this many free (unlocked) stops every order and subset is tried, count */
	exactMaxStops?: number;
	/** perturbation rounds of the schedule search, count: the iteration budget */
	iterations?: number;
	/** double-bridge kicks of the distance-only search, count (null: 100 per stop + 1000) */
	kicks?: number | null;
	/** seed of the perturbation PRNG, integer */
	seed?: number;
	/**
	 * wall-clock limit of the whole solve, ms (checked inside the local searches too). Production
	 * keeps it so a plan comes back in time on a slow machine; tests pass Infinity so the iteration
	 * and kick budgets alone decide and the same input gives the same plan however loaded the
	 * machine is.
	 */
	timeLimitMs?: number;
}

export const SOLVE_DEFAULTS: Required<SolveOptions> = { exactMaxStops: 8, iterations: 300, kicks: null, seed: 1, timeLimitMs: 3000 };

/** Kept back from the time limit for the final schedule and the reasons of stops left out, ms. */
const FINISH_RESERVE_MS = 25;

export interface LeftOut {
	index: number;
	id: string;
	name: string;
	reason: string;
}

export interface DayPlan {
	feasible: boolean;
	schedule: Schedule;
	leftOut: LeftOut[];
	/** why the plan is infeasible, in Chinese (empty when feasible) */
	problems: string[];
	method: 'exact' | 'heuristic';
	/** schedules evaluated */
	evaluations: number;
	/** double-bridge kicks of the distance-only search */
	kicks: number;
	ms: number;
}

/** Places locked stops at their positions and the free ones, in order, around them. */
function merger(input: DayInput): (free: number[]) => number[] {
	const locked = input.stops
		.map((s, i) => ({ i, seq: s.lockedSeq ?? null }))
		.filter((x): x is { i: number; seq: number } => x.seq != null)
		.sort((a, b) => a.seq - b.seq);
	if (!locked.length) return (free) => free;
	return (free) => {
		const out: number[] = [];
		let li = 0;
		let fi = 0;
		while (li < locked.length || fi < free.length) {
			if (li < locked.length && (locked[li].seq - 1 <= out.length || fi >= free.length)) out.push(locked[li++].i);
			else out.push(free[fi++]);
		}
		return out;
	};
}

class Search {
	evaluations = 0;
	kicks = 0;
	/** no wall-clock limit until heuristic() sets one: the exact search is small */
	deadline = new Deadline(Infinity);
	readonly merge: (free: number[]) => number[];
	readonly free: number[];
	readonly must: boolean[];
	constructor(readonly input: DayInput) {
		this.merge = merger(input);
		this.free = input.stops.map((_, i) => i).filter((i) => input.stops[i].lockedSeq == null);
		this.must = input.stops.map((s) => s.mustVisit || s.lockedSeq != null);
	}
	eval(free: number[]): Schedule {
		this.evaluations++;
		return schedule(this.input, this.merge(free));
	}
	/** Every subset of the optional free stops with every order: exhaustive, for ≤ ~8 free stops. */
	exact(): number[] {
		const { free, must } = this;
		let best: { seq: number[]; s: Schedule } | null = null;
		const seq: number[] = [];
		const used = new Uint8Array(this.input.stops.length);
		const visit = (mustLeft: number) => {
			if (mustLeft === 0) {
				const s = this.eval(seq.slice());
				if (!best || compareSchedules(s, best.s) < 0) best = { seq: seq.slice(), s };
			}
			for (const f of free) {
				if (used[f]) continue;
				used[f] = 1;
				seq.push(f);
				visit(mustLeft - (must[f] ? 1 : 0));
				seq.pop();
				used[f] = 0;
			}
		};
		visit(free.filter((f) => must[f]).length);
		return best!.seq;
	}
	/** The best position for `stop` in `seq`, and the schedule with it there. */
	bestInsertion(seq: number[], stop: number): { seq: number[]; s: Schedule } {
		let best: { seq: number[]; s: Schedule } | null = null;
		for (let p = 0; p <= seq.length; p++) {
			if (best && this.deadline.expired()) break;
			const cand = [...seq.slice(0, p), stop, ...seq.slice(p)];
			const s = this.eval(cand);
			if (!best || compareSchedules(s, best.s) < 0) best = { seq: cand, s };
		}
		return best!;
	}
	construct(): number[] {
		const { stops, minutes } = this.input;
		const mustFree = this.free.filter((f) => this.must[f]);
		// appointments first by their end, then the farthest stops: they shape the route
		mustFree.sort((a, b) => (stops[a].window?.end ?? Infinity) - (stops[b].window?.end ?? Infinity) || minutes[0][b + 1] - minutes[0][a + 1]);
		let seq: number[] = [];
		for (const f of mustFree) seq = this.bestInsertion(seq, f).seq;
		return seq;
	}
	/** The must-visit free stops ordered by distance alone (travel made symmetric), start to end. */
	distanceOrder(deadline: Deadline, rng: Random): number[] {
		const mustFree = this.free.filter((f) => this.must[f]);
		const M = this.input.minutes;
		const node = [0, ...mustFree.map((f) => f + 1), this.input.stops.length + 1];
		const N = node.length;
		const dist = new Float64Array(N * N);
		for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) dist[i * N + j] = i === j ? 0 : (M[node[i]][node[j]] + M[node[j]][node[i]]) / 2;
		const r = shortestPath(dist, N, deadline, rng);
		this.kicks += r.kicks;
		return r.order.map((k) => mustFree[k - 1]);
	}
	/**
	 * True when the schedule ranks orders by travel alone: no appointment, no lunch, no locked or
	 * optional stop (then lateness is nil, the day ends at departure + dwell + travel, and over-budget
	 * grows with travel), so the distance order needs no schedule search on top.
	 */
	distanceOnly(): boolean {
		const { stops, lunch } = this.input;
		return !(lunch && lunch.durationMin > 0) && stops.every((s) => !s.window && s.lockedSeq == null && s.mustVisit);
	}
	/** First-improvement local search: 2-opt, Or-opt (segments of 1–3, also reversed), dropping an optional. */
	localSearch(start: number[]): number[] {
		let seq = start;
		let cur = this.eval(seq);
		const tryMove = (cand: number[]) => {
			if (this.deadline.expired()) return false;
			const s = this.eval(cand);
			if (compareSchedules(s, cur) < 0) {
				seq = cand;
				cur = s;
				return true;
			}
			return false;
		};
		for (let improved = true; improved && !this.deadline.expired(); ) {
			improved = false;
			const n = seq.length;
			for (let i = 0; i < n - 1; i++) {
				if (this.deadline.expired()) return seq;
				for (let j = i + 1; j < n; j++) {
					if (tryMove([...seq.slice(0, i), ...seq.slice(i, j + 1).reverse(), ...seq.slice(j + 1)])) improved = true;
				}
			}
			for (let len = 1; len <= 3; len++) {
				for (let i = 0; i + len <= seq.length; i++) {
					if (this.deadline.expired()) return seq;
					const seg = seq.slice(i, i + len);
					const rest = [...seq.slice(0, i), ...seq.slice(i + len)];
					for (let p = 0; p <= rest.length; p++) {
						if (p === i) continue;
						if (tryMove([...rest.slice(0, p), ...seg, ...rest.slice(p)])) improved = true;
						else if (len > 1 && tryMove([...rest.slice(0, p), ...seg.slice().reverse(), ...rest.slice(p)])) improved = true;
						if (seq.length !== n) break;
					}
					if (seq.length !== n) break;
				}
			}
			for (let i = 0; i < seq.length; i++) {
				if (!this.must[seq[i]] && tryMove([...seq.slice(0, i), ...seq.slice(i + 1)])) improved = true;
			}
		}
		return seq;
	}
	/** Adds the optional stop that improves the plan most, while one does. */
	insertOptionals(start: number[]): number[] {
		let seq = start;
		let cur = this.eval(seq);
		while (!this.deadline.expired()) {
			const inSeq = new Set(seq);
			let best: { seq: number[]; s: Schedule } | null = null;
			for (const f of this.free) {
				if (this.must[f] || inSeq.has(f)) continue;
				const ins = this.bestInsertion(seq, f);
				if (!best || compareSchedules(ins.s, best.s) < 0) best = ins;
			}
			if (!best || compareSchedules(best.s, cur) >= 0) return seq;
			seq = best.seq;
			cur = best.s;
		}
		return seq;
	}
	improve(seq: number[]): number[] {
		for (;;) {
			if (this.deadline.expired()) return seq;
			const local = this.localSearch(seq);
			const more = this.insertOptionals(local);
			if (more.length !== local.length) {
				seq = more;
				continue;
			}
			const repaired = this.insertAndRepair(local);
			if (!repaired) return local;
			seq = repaired;
		}
	}
	/** An optional stop that fits only if the route changes: insert it anyway, let local search repair. */
	insertAndRepair(seq: number[]): number[] | null {
		const cur = this.eval(seq);
		const inSeq = new Set(seq);
		for (const f of this.free) {
			if (this.deadline.expired()) return null;
			if (this.must[f] || inSeq.has(f)) continue;
			const cand = this.localSearch(this.bestInsertion(seq, f).seq);
			if (compareSchedules(this.eval(cand), cur) < 0) return cand;
		}
		return null;
	}
	perturb(seq: number[], rng: Random): number[] {
		let out = seq.slice();
		const optional = out.filter((f) => !this.must[f]);
		if (optional.length && rng.chance(0.3)) out = out.filter((f) => f !== rng.pick(optional));
		const outside = this.free.filter((f) => !this.must[f] && !out.includes(f));
		if (outside.length && rng.chance(0.5)) out.splice(rng.int(0, out.length), 0, rng.pick(outside));
		const n = out.length;
		if (n >= 8) {
			// double bridge: A B C D → A C B D
			const p1 = rng.int(1, n - 3);
			const p2 = rng.int(p1 + 1, n - 2);
			const p3 = rng.int(p2 + 1, n - 1);
			return [...out.slice(0, p1), ...out.slice(p2, p3), ...out.slice(p1, p2), ...out.slice(p3)];
		}
		for (let k = 0; n >= 2 && k < 2; k++) {
			const [x] = out.splice(rng.int(0, n - 1), 1);
			out.splice(rng.int(0, out.length), 0, x);
		}
		return out;
	}
	/** The better (by schedule) of two orders. */
	better(a: number[], b: number[]): number[] {
		return compareSchedules(this.eval(b), this.eval(a)) < 0 ? b : a;
	}
	heuristic(o: Required<SolveOptions>, deadline: Deadline): number[] {
		this.deadline = deadline;
		const rng = new Random(o.seed);
		const kicks = o.kicks ?? 100 * this.free.length + 1000;
		if (this.distanceOnly()) {
			// travel may differ by direction: the symmetric order run either way, the better one
			const order = this.distanceOrder(deadline.part(1, kicks), rng);
			return this.better(order, order.slice().reverse());
		}
		// the distance order gets a third of the time; appointments may prefer another start
		const byDistance = this.distanceOrder(deadline.part(1 / 3, kicks), rng);
		let best = this.improve(this.better(byDistance, this.construct()));
		let bestS = this.eval(best);
		while (deadline.round()) {
			const cand = this.improve(this.perturb(best, rng));
			const s = this.eval(cand);
			if (compareSchedules(s, bestS) < 0) [best, bestS] = [cand, s];
		}
		return best;
	}
}

/** Orders the day: exact when there are few free stops, heuristic beyond. Validates the input first. */
export function solveDay(input: DayInput, options: SolveOptions = {}): DayPlan {
	const o = { ...SOLVE_DEFAULTS, ...options };
	const started = performance.now();
	const deadline = new Deadline(Math.max(0, o.timeLimitMs - FINISH_RESERVE_MS), o.iterations);
	validateDay(input);
	const search = new Search(input);
	const method = search.free.length <= o.exactMaxStops ? 'exact' : 'heuristic';
	const free = method === 'exact' ? search.exact() : search.heuristic(o, deadline);
	const s = search.eval(free);
	const inRoute = new Set(s.order);
	const already = new Set(describeViolations(input, s)); // once: a 300-stop day may have hundreds
	const leftOut: LeftOut[] = [];
	for (const f of search.free) {
		if (inRoute.has(f)) continue;
		const stop = input.stops[f];
		// past the deadline the reason comes from one insertion (after the stop nearest to f), not the best
		const ins = deadline.expired() ? search.eval(nearInsertion(input, free, f)) : search.bestInsertion(free, f).s;
		const why = describeViolations(input, ins).filter((t) => !already.has(t));
		const reason = why.length ? `加入后${why.join('；')}` : '加入后当天行程无法兼顾其他走访点';
		leftOut.push({ index: f, id: stop.id, name: stop.name, reason });
	}
	const feasible = s.violation <= 1e-6;
	return { feasible, schedule: s, leftOut, problems: feasible ? [] : explainInfeasible(input, s), method, evaluations: search.evaluations, kicks: search.kicks, ms: Math.round(performance.now() - started) };
}

/** `free` with f inserted right after the stop nearest to it (first when the start is nearer). */
function nearInsertion(input: DayInput, free: number[], f: number): number[] {
	const M = input.minutes;
	let at = 0;
	let bestMin = M[0][f + 1];
	free.forEach((x, p) => {
		if (M[x + 1][f + 1] < bestMin) [at, bestMin] = [p + 1, M[x + 1][f + 1]];
	});
	return [...free.slice(0, at), f, ...free.slice(at)];
}

/** Why no order fits: appointments that cannot be reached even directly, then the best route's violations. */
function explainInfeasible(input: DayInput, s: Schedule): string[] {
	const out: string[] = [];
	input.stops.forEach((st, i) => {
		if (!st.window) return;
		const direct = input.departMin + input.minutes[0][i + 1];
		if (direct > st.window.end + 1e-6) {
			out.push(`必访点「${st.name}」的预约时段为 ${hhmm(st.window.start)}–${hhmm(st.window.end)}，${hhmm(input.departMin)} 出发直达也要 ${hhmm(direct)} 才能到（路上约 ${duration(input.minutes[0][i + 1])}）`);
		}
	});
	const mustDwell = input.stops.filter((x) => x.mustVisit || x.lockedSeq != null).reduce((a, x) => a + x.dwellMin, 0);
	if (mustDwell > input.budgetMin) out.push(`必访点停留时间合计 ${duration(mustDwell)}，已超过时间预算 ${duration(input.budgetMin)}`);
	for (const t of describeViolations(input, s)) out.push(`最优路线仍不可行：${t}`);
	return out;
}
