// 24 months of citizen requests with realistic stage timestamps: seasonality, hotspots that start,
// persist or fade, departments that are sometimes wrong (退单), joint cases (吹哨报到), late work,
// unsatisfied evaluations sent back (返工), and the recent ones still open at `now`.
import { deadlineStartedBy } from '../../src/lib/domain/deadlines';
import type { Random } from '../../src/lib/domain/random';
import { nextStatus, type RequestAction, type RequestStatus } from '../../src/lib/domain/workflow';
import { CATEGORIES, DEPARTMENTS, defaultDeadlines, type CategorySpec } from './catalog';
import type { Geography, XY } from './geography';
import { jitterWithin, type Household } from './population';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Hotspot { grids: Set<number>; categories: string[]; weight: number; profile: 'persistent' | 'emerging' | 'diminishing'; severity: number }
export interface RequestEvent { action: RequestAction; from: RequestStatus | null; to: RequestStatus; at: number; actor: number | null; department: number | null; reason: string | null; payload: string }
export interface Whistle { department: number; whistledAt: number; deadline: number; checkedInAt: number | null }
export interface GenRequest {
	id: number; code: string; kind: string; category: string; channel: string; status: RequestStatus; priority: 'normal' | 'urgent';
	title: string; description: string; grid: number; department: number; household: number | null; reporterName: string | null;
	address: string; p: XY; stamps: Partial<Record<RequestStatus, number>>; acceptDeadline: number; resolveDeadline: number;
	satisfaction: string | null; solved: boolean | null; reopenCount: number; leader: number | null; mediator: number | null;
	visit: number | null; events: RequestEvent[]; whistles: Whistle[];
	/** 微心愿: the volunteer or unit that claimed it */
	claimedBy: string | null;
}

export interface RequestContext {
	rng: Random; geo: Geography; now: number; start: number; households: Household[];
	byGrid: number[][]; bySetting: { urban: number[]; rural: number[] }; hotspots: Hotspot[];
	gridPerformance: number[]; people: { dispatcher: number; leaders: number[]; gridManagers: number[]; departmentStaff: number[][]; mediators: number[] };
}

/** Hotspots: a few grids around a centre where one kind of problem concentrates. */
export function makeHotspots(geo: Geography, rng: Random): Hotspot[] {
	const themes: { categories: string[]; rural: boolean; profile: Hotspot['profile'] }[] = [
		{ categories: ['property.service', 'property.elevator', 'property.parking', 'property.leak'], rural: false, profile: 'persistent' },
		{ categories: ['property.service', 'property.elevator', 'property.leak'], rural: false, profile: 'emerging' },
		{ categories: ['property.service', 'property.parking'], rural: false, profile: 'diminishing' },
		{ categories: ['property.elevator', 'property.service', 'safety.e_bike'], rural: false, profile: 'persistent' },
		{ categories: ['safety.gas', 'safety.e_bike', 'safety.fire_access'], rural: false, profile: 'persistent' },
		{ categories: ['municipal.drainage', 'property.leak'], rural: false, profile: 'persistent' },
		{ categories: ['environment.noise', 'environment.fumes', 'market.food'], rural: false, profile: 'emerging' },
		{ categories: ['dispute.neighbour', 'environment.garbage'], rural: true, profile: 'persistent' },
		{ categories: ['rural.irrigation', 'rural.village_road', 'safety.dilapidated'], rural: true, profile: 'persistent' },
		{ categories: ['municipal.road', 'municipal.streetlight', 'municipal.manhole'], rural: false, profile: 'diminishing' },
		{ categories: ['welfare.elderly', 'welfare.subsistence', 'wish.help'], rural: true, profile: 'emerging' }
	];
	const used = new Set<number>();
	return themes.map((t) => {
		const pool = geo.grids.filter((g) => (g.setting === 'rural') === t.rural && !used.has(g.index));
		const centre = rng.pick(pool);
		const radius = t.rural ? 2200 : rng.range(450, 800);
		const grids = new Set(geo.grids.filter((g) => Math.hypot(g.seed[0] - centre.seed[0], g.seed[1] - centre.seed[1]) <= radius).map((g) => g.index));
		grids.forEach((g) => used.add(g));
		return { grids, categories: t.categories, weight: rng.range(0.6, 1.4), profile: t.profile, severity: rng.range(1, 2) };
	});
}

const VOLUNTEERS = ['区团委青年志愿服务队', '社区党员志愿者', '爱心企业（演示）', '巾帼志愿服务队', '退役军人志愿服务队', '在职党员进社区'];

const CHANNELS = ['hotline_12345', 'grid', 'snapshot', 'door_knock', 'petition', 'visit', 'whistle'];
const CHANNEL_WEIGHTS = [36, 30, 12, 10, 4, 5, 3];

export function generateRequests(ctx: RequestContext, count: number): GenRequest[] {
	const { rng } = ctx;
	const months = monthStarts(ctx.start, ctx.now);
	const out: GenRequest[] = [];
	for (let i = 0; i < count; i++) {
		const monthIndex = rng.weighted(months.map((_, m) => 0.8 + (0.4 * m) / months.length));
		const at = months[monthIndex] + rng.range(0, 30 * DAY);
		if (at >= ctx.now) { i--; continue; }
		out.push(makeRequest(ctx, out.length + 1, { at }));
	}
	return out;
}

export function makeRequest(ctx: RequestContext, id: number, opts: { at: number; grid?: number; channel?: string; visit?: number }): GenRequest {
	const { rng, geo } = ctx;
	const month = new Date(opts.at + 8 * HOUR).getUTCMonth();
	const elapsed = (opts.at - ctx.start) / (ctx.now - ctx.start);
	const active = ctx.hotspots.filter((h) => h.profile === 'persistent' || (h.profile === 'emerging' ? elapsed > 0.6 : elapsed < 0.5));
	let category: CategorySpec;
	let householdIndex: number;
	const hotspot = opts.grid === undefined && active.length && rng.chance(0.3) ? active[rng.weighted(active.map((h) => h.weight))] : null;
	if (hotspot) {
		const code = rng.pick(hotspot.categories);
		category = CATEGORIES.find((c) => c.code === code)!;
		const grids = [...hotspot.grids];
		householdIndex = rng.pick(ctx.byGrid[rng.pick(grids)] ?? ctx.byGrid[grids[0]]);
	} else {
		category = CATEGORIES[rng.weighted(CATEGORIES.map((c) => c.weight * (c.season?.[month] ?? 1)))];
		if (opts.grid !== undefined) householdIndex = rng.pick(ctx.byGrid[opts.grid]);
		else {
			const rural = rng.chance(category.rural) && ctx.bySetting.rural.length > 0;
			householdIndex = rng.pick(rural || !ctx.bySetting.urban.length ? ctx.bySetting.rural : ctx.bySetting.urban);
		}
	}
	const household = ctx.households[householdIndex];
	const grid = household.grid;
	const channel = opts.channel ?? (category.kind === 'dispute' ? rng.pick(['grid', 'hotline_12345']) : CHANNELS[rng.weighted(CHANNEL_WEIGHTS)]);
	const kind = category.kind ?? (channel === 'petition' ? 'petition' : 'request');
	const priority = rng.chance(category.parent === 'safety' ? 0.25 : 0.06) ? 'urgent' : 'normal';
	const department = DEPARTMENTS.findIndex((d) => d.code === category.dept) + 1;
	const p = jitterWithin(geo, grid, household.p, 15, rng);
	const perf = ctx.gridPerformance[grid] * (hotspot ? 1.4 : 1);
	const req: GenRequest = {
		id, code: requestCode(opts.at, id), kind, category: category.code, channel, status: 'reported', priority,
		title: `${category.name}：${shortPlace(household.address)}`, description: describe(category, rng),
		grid, department, household: rng.chance(0.6) ? household.id : null, reporterName: channel === 'hotline_12345' ? household.headName : null,
		address: household.address, p, stamps: {}, acceptDeadline: 0, resolveDeadline: 0, satisfaction: null, solved: null,
		reopenCount: 0, leader: kind === 'petition' ? rng.pick(ctx.people.leaders) : null,
		mediator: kind === 'dispute' ? rng.pick(ctx.people.mediators) : null, visit: opts.visit ?? null, events: [], whistles: [], claimedBy: null
	};
	playLifecycle(ctx, req, category, opts.at, perf);
	if (kind === 'wish' && req.stamps.accepted) req.claimedBy = rng.pick(VOLUNTEERS);
	return req;
}

/** Walks the request through the loop, then keeps only what happened before `now`. */
function playLifecycle(ctx: RequestContext, req: GenRequest, category: CategorySpec, reportedAt: number, perf: number) {
	const { rng } = ctx;
	const deadlines = defaultDeadlines(category.nature, req.priority);
	const rule = { acceptWorkingDays: deadlines.accept, resolveWorkingDays: deadlines.resolve, whistleReportHours: deadlines.whistleHours };
	const staff = (dept: number) => rng.pick(ctx.people.departmentStaff[dept - 1]);
	const events: RequestEvent[] = [];
	let status: RequestStatus | null = null;
	const step = (action: RequestAction | 'report', at: number, actor: number | null, department: number | null, reason: string | null = null, payload: object = {}) => {
		const to = action === 'report' ? 'reported' : nextStatus(status!, action);
		if (!to) throw new Error(`generator produced an illegal move ${status} --${action}→`);
		// 派单/改派/返工 start a new accept deadline, 接单 a new resolve deadline, as the server does
		const started = action === 'report' ? null : deadlineStartedBy(action, new Date(at), rule);
		if (started && 'accept_deadline' in started) req.acceptDeadline = started.accept_deadline.getTime();
		if (started && 'resolve_deadline' in started) req.resolveDeadline = started.resolve_deadline.getTime();
		if (started) payload = { ...payload, ...Object.fromEntries(Object.entries(started).map(([k, v]) => [k, v.toISOString()])) };
		events.push({ action: action === 'report' ? ('report' as RequestAction) : action, from: status, to, at, actor, department, reason, payload: JSON.stringify(payload) });
		status = to;
		return at;
	};
	const reporter = req.channel === 'grid' || req.channel === 'door_knock' ? ctx.people.gridManagers[req.grid] : null;
	let t = step('report', reportedAt, reporter, null);
	t = step('dispatch', t + rng.exponential(1.5 * HOUR), ctx.people.dispatcher, rng.chance(0.04) ? wrongDepartment(req.department, rng) : req.department);
	if (events[1].department !== req.department) {
		t = step('return', t + rng.exponential(4 * HOUR), staff(events[1].department!), events[1].department, '非本部门职责，申请退单');
		t = step('redispatch', t + rng.exponential(2 * HOUR), ctx.people.dispatcher, req.department, '改派责任部门');
	}
	const lateAccept = rng.chance(0.05 * perf);
	const acceptRoom = req.acceptDeadline - t;
	const acceptAt = lateAccept || acceptRoom < HOUR ? Math.max(t, req.acceptDeadline) + rng.exponential(DAY) : t + Math.min(rng.logNormal(4 * HOUR, 0.8), 0.9 * acceptRoom);
	t = step('accept', acceptAt, staff(req.department), req.department);
	if (rng.chance(0.005 * perf)) return finish(ctx, req, events); // stuck: never resolved, overdue today
	if (rng.chance(category.parent === 'safety' || category.parent === 'property' ? 0.06 : 0.02)) {
		t = step('escalate', t + rng.exponential(DAY), staff(req.department), req.department, '社区无法单独解决，吹哨');
		const others = new Set<number>();
		while (others.size < rng.int(2, 3)) others.add(rng.int(1, DEPARTMENTS.length));
		for (const dept of others) {
			const late = rng.chance(0.1 * perf);
			const reportAt = t + (late ? deadlines.whistleHours * HOUR + rng.exponential(12 * HOUR) : rng.range(1, deadlines.whistleHours - 1) * HOUR);
			req.whistles.push({ department: dept, whistledAt: t, deadline: t + deadlines.whistleHours * HOUR, checkedInAt: reportAt });
		}
		// each summoned department 报到 (checkin) before the joint resolution
		for (const s of [...req.whistles].sort((a, b) => a.checkedInAt! - b.checkedInAt!)) {
			t = step('checkin', s.checkedInAt!, staff(s.department), s.department, '报到');
		}
		t += rng.exponential(2 * DAY);
	}
	const lateResolve = rng.chance(0.07 * perf);
	const resolveAt = lateResolve || req.resolveDeadline - t < HOUR
		? Math.max(t, req.resolveDeadline) + rng.exponential(4 * DAY)
		: t + rng.range(0.1, 0.95) * (req.resolveDeadline - t);
	t = step('resolve', resolveAt, staff(req.department), req.department, null);
	for (let round = 0; round < 2; round++) {
		const pUnsat = Math.min(0.5, 0.035 * perf * perf + (lateResolve ? 0.06 : 0));
		const r = rng.next();
		const satisfaction = r < pUnsat ? 'unsatisfied' : r < pUnsat + 0.11 ? 'basic' : 'satisfied';
		const solved = satisfaction === 'unsatisfied' ? rng.chance(0.4) : rng.chance(0.985);
		t = step('evaluate', t + rng.exponential(1.2 * DAY), null, null, null, { satisfaction, solved });
		if (satisfaction === 'unsatisfied' && round === 0 && rng.chance(0.5)) {
			t = step('reopen', t + rng.exponential(0.5 * DAY), ctx.people.dispatcher, req.department, '群众不满意，返工');
			t = step('accept', t + rng.exponential(5 * HOUR), staff(req.department), req.department);
			t = step('resolve', t + rng.exponential(3 * DAY), staff(req.department), req.department);
			continue;
		}
		break;
	}
	step('close', t + rng.exponential(DAY), ctx.people.dispatcher, null, '销号');
	finish(ctx, req, events);
}

function finish(ctx: RequestContext, req: GenRequest, events: RequestEvent[]) {
	req.events = events.filter((e) => e.at <= ctx.now);
	req.whistles = req.whistles.filter((s) => s.whistledAt <= ctx.now).map((s) => ({ ...s, checkedInAt: s.checkedInAt !== null && s.checkedInAt <= ctx.now ? s.checkedInAt : null }));
	// the deadlines in force at `now`: those started by the last kept 派单/改派/返工 and 接单
	req.acceptDeadline = 0;
	req.resolveDeadline = 0;
	for (const e of req.events) {
		const p = JSON.parse(e.payload);
		if (p.accept_deadline) req.acceptDeadline = Date.parse(p.accept_deadline);
		if (p.resolve_deadline) req.resolveDeadline = Date.parse(p.resolve_deadline);
		const stage = e.to === 'reopened' || e.to === 'returned' || e.to === 'escalated' ? null : e.to;
		if (stage && (req.stamps[stage] === undefined || stage === 'resolved' || stage === 'evaluated' || stage === 'accepted')) req.stamps[stage] = e.at;
		if (e.to === 'evaluated') ({ satisfaction: req.satisfaction, solved: req.solved } = JSON.parse(e.payload));
		if (e.to === 'reopened') req.reopenCount++;
		req.status = e.to;
	}
}

function wrongDepartment(right: number, rng: Random): number {
	let d = right;
	while (d === right) d = rng.int(1, DEPARTMENTS.length);
	return d;
}

function monthStarts(start: number, now: number): number[] {
	const out: number[] = [];
	for (let t = start; t < now; t += 30 * DAY) out.push(t);
	return out;
}

function requestCode(at: number, id: number): string {
	const d = new Date(at + 8 * HOUR).toISOString().slice(0, 10).replaceAll('-', '');
	return `QX${d}${String(id).padStart(6, '0')}`;
}

/** '…街道XX社区YY花园3栋2单元503室' → 'XX社区YY花园3栋' */
function shortPlace(address: string): string {
	return address.replace(/^.*?(街道|镇)/, '').replace(/\d+单元\d+室$/, '');
}

const DETAILS: Record<string, string[]> = {
	property: ['业主反映物业长期不作为', '多次报修无人处理', '群众情绪较大，要求尽快解决'],
	safety: ['存在安全隐患，请尽快处置', '夜间尤其严重', '已多次向社区反映'],
	municipal: ['影响居民出行', '雨天尤为严重', '附近老人小孩较多'],
	default: ['请相关部门尽快处理', '群众多次反映', '希望给予答复']
};
function describe(category: CategorySpec, rng: Random): string {
	return `${category.name}问题，${rng.pick(DETAILS[category.parent] ?? DETAILS.default)}。（演示数据）`;
}
