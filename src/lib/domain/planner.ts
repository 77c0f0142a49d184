// The day planner of a leader's visit (走访路线): given start and end points, a departure time,
// a time budget, a lunch break and stops (dwell time, optional appointment window, must-visit or
// optional, optionally locked to a position), it orders the stops, leaves out optional stops that
// do not fit (saying why) and times every arrival and departure. Times are minutes after local
// midnight; the travel matrix is in minutes, indexed 0 = start, 1..n = stops, n + 1 = end.
//
// This file holds the model: validation, the schedule of one order, and how two schedules
// compare. The search (exact for small plans, heuristic beyond) is in plannersearch.ts.
import { duration, hhmm } from './plannertime';

export interface PlannerStop {
	id: string;
	name: string;
	/** time on site, minutes */
	dwellMin: number;
	/** false: an optional stop the planner may leave out */
	mustVisit: boolean;
	/** appointment: arrive no earlier than start (wait) and no later than end, minutes after midnight */
	window?: { start: number; end: number } | null;
	/** keep this stop at this 1-based position of the route (also forces it in) */
	lockedSeq?: number | null;
	/** worth of an optional stop relative to the others, default 1 */
	value?: number;
}

export interface LunchBreak {
	/** lunch may start from, minutes after midnight */
	earliest: number;
	/** lunch must start by, minutes after midnight */
	latest: number;
	/** minutes */
	durationMin: number;
}

export interface DayInput {
	/** departure from the start point, minutes after midnight */
	departMin: number;
	/** the whole day from departure to arrival at the end point, minutes */
	budgetMin: number;
	lunch?: LunchBreak | null;
	stops: PlannerStop[];
	/** minutes[i][j], (n + 2)², 0 = start, 1..n = stops, n + 1 = end */
	minutes: number[][];
}

export class PlannerInputError extends Error {
	constructor(public readonly field: string, message: string) {
		super(message);
	}
}

/** stops of one day: a grid worker's patrol of a few hundred households still fits (issue 18) */
export const MAX_STOPS = 300;

/** Throws PlannerInputError naming the field and the problem (Chinese: it reaches the user). */
export function validateDay(input: DayInput): void {
	const bad = (field: string, message: string) => {
		throw new PlannerInputError(field, message);
	};
	const { departMin, budgetMin, lunch, stops, minutes } = input;
	if (!Number.isFinite(departMin) || departMin < 0 || departMin >= 1440) bad('departMin', `出发时间须在 00:00–23:59 之间`);
	if (!Number.isFinite(budgetMin) || budgetMin <= 0 || budgetMin > 1440) bad('budgetMin', `时间预算须在 1–1440 分钟之间，收到 ${budgetMin}`);
	if (lunch) {
		if (!(lunch.earliest <= lunch.latest)) bad('lunch', `午休最早开始时间 ${hhmm(lunch.earliest)} 晚于最晚开始时间 ${hhmm(lunch.latest)}`);
		if (!(lunch.durationMin >= 0 && lunch.durationMin <= 240)) bad('lunch.durationMin', `午休时长须在 0–240 分钟之间，收到 ${lunch.durationMin}`);
	}
	if (!Array.isArray(stops) || stops.length === 0) bad('stops', '至少需要一个走访点');
	if (stops.length > MAX_STOPS) bad('stops', `一天的走访点最多 ${MAX_STOPS} 个，收到 ${stops.length} 个`);
	const ids = new Set<string>();
	stops.forEach((s, i) => {
		const f = `stops[${i}]`;
		if (!s.name?.trim()) bad(`${f}.name`, `第 ${i + 1} 个走访点缺少名称`);
		if (ids.has(s.id)) bad(`${f}.id`, `走访点编号重复：${s.id}`);
		ids.add(s.id);
		if (!Number.isFinite(s.dwellMin) || s.dwellMin < 0 || s.dwellMin > 600) bad(`${f}.dwellMin`, `「${s.name}」的停留时间须在 0–600 分钟之间，收到 ${s.dwellMin}`);
		if (s.window && !(s.window.start <= s.window.end)) bad(`${f}.window`, `「${s.name}」的预约时段开始 ${hhmm(s.window.start)} 晚于结束 ${hhmm(s.window.end)}`);
		if (s.lockedSeq != null && !(Number.isInteger(s.lockedSeq) && s.lockedSeq >= 1 && s.lockedSeq <= stops.length)) {
			bad(`${f}.lockedSeq`, `「${s.name}」的锁定顺序须在 1–${stops.length} 之间，收到 ${s.lockedSeq}`);
		}
	});
	const seqs = stops.filter((s) => s.lockedSeq != null).map((s) => s.lockedSeq);
	if (new Set(seqs).size !== seqs.length) bad('stops', '两个走访点锁定在同一顺序位置');
	const size = stops.length + 2;
	if (minutes.length !== size || minutes.some((row) => row.length !== size)) bad('minutes', `行程时间矩阵须为 ${size}×${size}`);
	if (minutes.some((row) => row.some((v) => !(v >= 0) || !Number.isFinite(v)))) bad('minutes', '行程时间矩阵含有负数或无效值（可能有走访点无法到达）');
}

/** The schedule of one route: what happens when, and what is violated. */
export interface Schedule {
	order: number[];
	/** per position in `order`: arrival, start of the visit (after waiting), departure, minutes */
	arrive: number[];
	start: number[];
	depart: number[];
	/** leg into each position, minutes */
	travel: number[];
	/** minutes past the window end, per position (0 when on time) */
	late: number[];
	/** lunch: taken before position `beforePos` (order.length = before the last leg home) */
	lunch: { start: number; end: number; beforePos: number; late: number } | null;
	endArrive: number;
	travelMin: number;
	waitMin: number;
	overBudget: number;
	/** sum of every violation, minutes: 0 means feasible */
	violation: number;
	/** sum of the values of the optional stops in the route */
	value: number;
}

/** Times one route (stop indices 0..n-1) from departure to the end point. Hot: O(route). */
export function schedule(input: DayInput, order: number[]): Schedule {
	const { minutes: M, stops, lunch } = input;
	const endNode = stops.length + 1;
	const k = order.length;
	const s: Schedule = {
		order, arrive: new Array(k), start: new Array(k), depart: new Array(k), travel: new Array(k), late: new Array(k),
		lunch: null, endArrive: 0, travelMin: 0, waitMin: 0, overBudget: 0, violation: 0, value: 0
	};
	let t = input.departMin;
	let prev = 0;
	let lunchDue = !!lunch && lunch.durationMin > 0;
	for (let pos = 0; pos <= k; pos++) {
		const node = pos < k ? order[pos] + 1 : endNode;
		const leg = M[prev][node];
		const stop = pos < k ? stops[order[pos]] : null;
		if (lunchDue) {
			// lunch at the first gap inside its window, or now when the next visit would end after the
			// window; on the way home only when home is reached after it (else lunch is after the day)
			const arrive = t + leg;
			const finish = stop ? Math.max(arrive, stop.window?.start ?? 0) + stop.dwellMin : arrive;
			if ((stop && t >= lunch!.earliest) || finish > lunch!.latest) {
				const ls = Math.max(t, lunch!.earliest);
				const late = Math.max(0, ls - lunch!.latest);
				s.lunch = { start: ls, end: ls + lunch!.durationMin, beforePos: pos, late };
				s.waitMin += ls - t;
				s.violation += late;
				t = ls + lunch!.durationMin;
				lunchDue = false;
			}
		}
		t += leg;
		s.travelMin += leg;
		if (!stop) break;
		s.arrive[pos] = t;
		s.travel[pos] = leg;
		if (stop.window && t < stop.window.start) {
			s.waitMin += stop.window.start - t;
			t = stop.window.start;
		}
		const late = stop.window ? Math.max(0, t - stop.window.end) : 0;
		s.late[pos] = late;
		s.violation += late;
		s.start[pos] = t;
		t += stop.dwellMin;
		s.depart[pos] = t;
		if (!stop.mustVisit) s.value += stop.value ?? 1;
		prev = node;
	}
	s.endArrive = t;
	s.overBudget = Math.max(0, t - (input.departMin + input.budgetMin));
	s.violation += s.overBudget;
	return s;
}

const EPS = 1e-6;

/** Negative when a is the better plan: fewer violation minutes, more optional value, earlier home, less driving. */
export function compareSchedules(a: Schedule, b: Schedule): number {
	if (Math.abs(a.violation - b.violation) > EPS) return a.violation - b.violation;
	if (Math.abs(a.value - b.value) > EPS) return b.value - a.value;
	if (Math.abs(a.endArrive - b.endArrive) > EPS) return a.endArrive - b.endArrive;
	return a.travelMin - b.travelMin;
}

/** Chinese sentences for every violation in a schedule (empty when feasible). */
export function describeViolations(input: DayInput, s: Schedule): string[] {
	const out: string[] = [];
	s.order.forEach((i, pos) => {
		const st = input.stops[i];
		if (s.late[pos] > EPS && st.window) {
			out.push(`「${st.name}」的预约时段为 ${hhmm(st.window.start)}–${hhmm(st.window.end)}，按此路线 ${hhmm(s.start[pos])} 才能到达，晚 ${duration(s.late[pos])}`);
		}
	});
	if (s.lunch && s.lunch.late > EPS) out.push(`午休最晚应在 ${hhmm(input.lunch!.latest)} 开始，按此路线要到 ${hhmm(s.lunch.start)}`);
	if (s.overBudget > EPS) {
		out.push(`时间预算为 ${duration(input.budgetMin)}（${hhmm(input.departMin)}–${hhmm(input.departMin + input.budgetMin)}），按此路线 ${hhmm(s.endArrive)} 才能返回，超出 ${duration(s.overBudget)}`);
	}
	return out;
}
