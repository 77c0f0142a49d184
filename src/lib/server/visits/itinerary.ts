// 走访路线/日程 (itinerary): POST /api/visits/itinerary and the itinerary half of saving a visit:
// the request body checked field by field, travel times (OSRM when OSRM_URL is set, else straight
// line × detour), then the day planner (domain/planner*.ts) orders and times the stops.
import { badParam } from '../../domain/apierror';
import { RESEARCH_TOPIC_STORED } from '../../domain/glossary';
import { MAX_STOPS, PlannerInputError, type DayInput, type PlannerStop } from '../../domain/planner';
import { solveDay, type SolveOptions } from '../../domain/plannersearch';
import { parseHhmm } from '../../domain/plannertime';
import { scheduleOrder, viewSchedule, type RouteView } from '../../domain/plannerview';
import { straightLineMatrix, type LonLat, type TravelMatrix } from '../../domain/travel';
import { osrmTable } from './osrm';

/** Who may plan visits and research (a page guard, http/guards.ts pageUser). */
export const VISIT_PLANNERS = { roles: ['leader', 'admin'], refusal: '只有领导和管理员可以安排走访' } as const;

export const STOP_SOURCES = ['map', RESEARCH_TOPIC_STORED.stopSource, 'pairing', 'grid'] as const;

export interface Place extends LonLat { name: string }
export interface StopInput extends PlannerStop, LonLat { purpose: string; gridCode: string | null; source: string; address: string | null }
export interface ItineraryRequest {
	date: string;
	start: Place;
	end: Place;
	departMin: number;
	budgetMin: number;
	lunch: DayInput['lunch'];
	stops: StopInput[];
	/** a hand-made order (stop ids): timed as given, not optimised */
	order: string[] | null;
}

const obj = (v: unknown): Record<string, any> => (v && typeof v === 'object' ? (v as Record<string, any>) : {});
function num(v: unknown, field: string, label: string, min: number, max: number): number {
	const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
	if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) throw badParam(field, `${label}（${field}）须是 ${min}–${max} 之间的数，收到“${v ?? ''}”`);
	return n;
}
function clock(v: unknown, field: string, label: string): number {
	const m = parseHhmm(typeof v === 'string' ? v : null);
	if (m === null) throw badParam(field, `${label}（${field}）须是 HH:MM 格式的时间，收到“${v ?? ''}”`);
	return m;
}
function place(v: unknown, field: string, label: string): Place {
	const p = obj(v);
	const name = typeof p.name === 'string' && p.name.trim() ? p.name.trim().slice(0, 100) : label;
	return { name, lon: num(p.lon, `${field}.lon`, `${label}经度`, 73, 136), lat: num(p.lat, `${field}.lat`, `${label}纬度`, 3, 54) };
}

function parseStop(v: unknown, i: number): StopInput {
	const s = obj(v);
	const f = `stops[${i}]`;
	const name = typeof s.name === 'string' ? s.name.trim().slice(0, 100) : '';
	if (!name) throw badParam(`${f}.name`, `第 ${i + 1} 个走访点缺少名称`);
	const w = s.window ? obj(s.window) : null;
	const window = w ? { start: clock(w.start, `${f}.window.start`, `「${name}」预约开始`), end: clock(w.end, `${f}.window.end`, `「${name}」预约结束`) } : null;
	const source = STOP_SOURCES.includes(s.source) ? s.source : 'map';
	return {
		id: typeof s.id === 'string' && s.id ? s.id.slice(0, 64) : `s${i + 1}`, ...place(s, f, `「${name}」`), name,
		dwellMin: num(s.dwellMin ?? 30, `${f}.dwellMin`, `「${name}」停留分钟`, 0, 600), mustVisit: s.mustVisit !== false, window,
		lockedSeq: s.lockedSeq == null || s.lockedSeq === '' ? null : num(s.lockedSeq, `${f}.lockedSeq`, `「${name}」锁定顺序`, 1, MAX_STOPS),
		purpose: typeof s.purpose === 'string' ? s.purpose.slice(0, 200) : '', gridCode: typeof s.gridCode === 'string' && /^\d{15}$/.test(s.gridCode) ? s.gridCode : null,
		source, address: typeof s.address === 'string' ? s.address.slice(0, 200) : null
	};
}

export function parseItineraryRequest(body: unknown): ItineraryRequest {
	const b = obj(body);
	if (typeof b.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(b.date) || Number.isNaN(Date.parse(b.date))) throw badParam('date', `走访日期（date）须是 YYYY-MM-DD，收到“${b.date ?? ''}”`);
	const start = place(b.start, 'start', '出发点');
	const lunch = b.lunch ? obj(b.lunch) : null;
	if (!Array.isArray(b.stops) || b.stops.length === 0) throw badParam('stops', '请至少选择一个走访点（stops）');
	// before the travel matrix, which grows with the square of the stops
	if (b.stops.length > MAX_STOPS) throw badParam('stops', `一天的走访点（stops）最多 ${MAX_STOPS} 个，收到 ${b.stops.length} 个`);
	return {
		date: b.date, start, end: b.end ? place(b.end, 'end', '结束点') : { ...start },
		departMin: clock(b.depart ?? '08:30', 'depart', '出发时间'), budgetMin: num(b.budgetMin ?? 480, 'budgetMin', '时间预算（分钟）', 30, 1440),
		lunch: lunch ? { earliest: clock(lunch.earliest, 'lunch.earliest', '午休最早'), latest: clock(lunch.latest, 'lunch.latest', '午休最晚'), durationMin: num(lunch.durationMin ?? 60, 'lunch.durationMin', '午休分钟', 0, 240) } : null,
		stops: b.stops.map(parseStop), order: Array.isArray(b.order) ? b.order.map(String) : null
	};
}

/** OSRM when configured (falling back, with the reason shown, when it fails), else straight line. */
export async function travelMatrix(points: LonLat[], env: Record<string, string | undefined> = process.env): Promise<TravelMatrix> {
	const straight = () => straightLineMatrix(points, { detour: Number(env.TRAVEL_DETOUR || 1.3), speedKmh: Number(env.TRAVEL_SPEED_KMH || 30) });
	if (!env.OSRM_URL) return straight();
	try {
		return await osrmTable(env.OSRM_URL, points, { profile: env.OSRM_PROFILE || 'driving' });
	} catch (e) {
		const m = straight();
		return { ...m, assumption: `${(e as Error).message}；${m.assumption}` };
	}
}

/** An itinerary: the ordered, timed stops of one visit day, with what it assumed and left out. */
export interface Itinerary {
	input: DayInput;
	travel: { source: string; assumption: string };
	view: RouteView;
	order: string[];
	leftOut: { id: string; name: string; reason: string }[];
	problems: string[];
	method: 'exact' | 'heuristic' | 'manual';
	ms: number;
}

/** `solve`: the planner's options (tests and the bench; production keeps the defaults). */
export async function computeItinerary(req: ItineraryRequest, env?: Record<string, string | undefined>, solve: SolveOptions = {}): Promise<Itinerary> {
	const m = await travelMatrix([req.start, ...req.stops, req.end], env);
	const input: DayInput = { departMin: req.departMin, budgetMin: req.budgetMin, lunch: req.lunch, stops: req.stops, minutes: m.minutes.map((r) => r.map((x) => Math.round(x * 10) / 10)) };
	const travel = { source: m.source, assumption: m.assumption };
	try {
		if (req.order) {
			const s = scheduleOrder(input, req.order);
			const view = viewSchedule(input, s);
			return { input, travel, view, order: view.rows.map((r) => r.id), leftOut: [], problems: [], method: 'manual', ms: 0 };
		}
		const solved = solveDay(input, solve);
		const view = viewSchedule(input, solved.schedule);
		return { input, travel, view, order: view.rows.map((r) => r.id), leftOut: solved.leftOut.map(({ id, name, reason }) => ({ id, name, reason })), problems: solved.problems, method: solved.method, ms: solved.ms };
	} catch (e) {
		if (e instanceof PlannerInputError) throw badParam(e.field, e.message);
		throw e;
	}
}
