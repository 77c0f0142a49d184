// A schedule as the page and the printed sheet show it: clock times, minutes, and the lunch
// placed between two stops. Pure: the browser recomputes it on every drag.
import { schedule, type DayInput, type Schedule } from './planner';
import { hhmm } from './plannertime';

export interface RouteRow {
	index: number;
	id: string;
	name: string;
	seq: number;
	arrive: string;
	start: string;
	depart: string;
	travelMin: number;
	waitMin: number;
	lateMin: number;
	locked: boolean;
}

export interface RouteView {
	feasible: boolean;
	rows: RouteRow[];
	lunch: { start: string; end: string; afterSeq: number } | null;
	depart: string;
	endArrive: string;
	travelMin: number;
	waitMin: number;
	dwellMin: number;
	durationMin: number;
}

const r1 = (x: number) => Math.round(x);

export function viewSchedule(input: DayInput, s: Schedule): RouteView {
	const rows = s.order.map((i, pos) => ({
		index: i, id: input.stops[i].id, name: input.stops[i].name, seq: pos + 1,
		arrive: hhmm(s.arrive[pos]), start: hhmm(s.start[pos]), depart: hhmm(s.depart[pos]),
		travelMin: r1(s.travel[pos]), waitMin: r1(s.start[pos] - s.arrive[pos]), lateMin: r1(s.late[pos]),
		locked: input.stops[i].lockedSeq != null
	}));
	return {
		feasible: s.violation <= 1e-6, rows,
		lunch: s.lunch ? { start: hhmm(s.lunch.start), end: hhmm(s.lunch.end), afterSeq: s.lunch.beforePos } : null,
		depart: hhmm(input.departMin), endArrive: hhmm(s.endArrive), travelMin: r1(s.travelMin), waitMin: r1(s.waitMin),
		dwellMin: s.order.reduce((a, i) => a + input.stops[i].dwellMin, 0), durationMin: r1(s.endArrive - input.departMin)
	};
}

/** Times a route the user arranged by hand (ids in order); unknown ids are ignored. */
export function scheduleOrder(input: DayInput, ids: string[]): Schedule {
	const at = new Map(input.stops.map((s, i) => [s.id, i]));
	return schedule(input, ids.filter((id) => at.has(id)).map((id) => at.get(id)!));
}
