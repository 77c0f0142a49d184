// Field work of the demo district: hazards (隐患) with rectification and re-inspection,
// 敲门行动 door-knock history, and leaders' past visits (走访) with their stops.
import type { Random } from '../../src/lib/domain/random';
import { distanceToRiver, type Geography, type XY } from './geography';
import type { Hotspot } from './requests';
import { jitterWithin, type Building, type Household } from './population';

const DAY = 86_400_000;

export interface Hazard {
	id: number; code: string; type: string; severity: number; status: string; title: string; grid: number; building: number;
	foundAt: number; rectifyDeadline: number; rectifiedAt: number | null; reinspectDeadline: number | null; reinspectedAt: number | null; p: XY;
}

const URBAN_TYPES = ['fire_access', 'gas', 'e_bike', 'dilapidated', 'flooding', 'road', 'other'];
const URBAN_WEIGHTS = [22, 18, 22, 8, 10, 12, 8];
const RURAL_TYPES = ['dilapidated', 'flooding', 'road', 'gas', 'fire_access', 'other'];
const RURAL_WEIGHTS = [30, 22, 20, 12, 6, 10];
const TITLES: Record<string, string> = {
	fire_access: '消防通道被占用', gas: '燃气管道老化', e_bike: '楼道内电动车充电', dilapidated: '房屋墙体开裂',
	flooding: '低洼处易积水', road: '路面塌陷破损', other: '其他安全隐患'
};
const RECTIFY_DAYS = [0, 30, 20, 15, 7]; // by severity 1..4

export function generateHazards(geo: Geography, buildings: Building[], hotspots: Hotspot[], count: number, start: number, now: number, rng: Random): Hazard[] {
	const safetyGrids = hotspots.filter((h) => h.categories.some((c) => c.startsWith('safety') || c === 'municipal.drainage')).flatMap((h) => [...h.grids]);
	const byGrid = new Map<number, Building[]>();
	for (const b of buildings) (byGrid.get(b.grid) ?? byGrid.set(b.grid, []).get(b.grid)!).push(b);
	const hazardGrids = safetyGrids.filter((g) => byGrid.has(g));
	const out: Hazard[] = [];
	for (let i = 0; i < count; i++) {
		const building = hazardGrids.length && rng.chance(0.25) ? rng.pick(byGrid.get(rng.pick(hazardGrids))!) : rng.pick(buildings);
		const urban = geo.grids[building.grid].setting === 'urban';
		let type = urban ? URBAN_TYPES[rng.weighted(URBAN_WEIGHTS)] : RURAL_TYPES[rng.weighted(RURAL_WEIGHTS)];
		if (type === 'flooding' && distanceToRiver(geo.river, building.p) > 1500 && rng.chance(0.6)) type = 'road';
		const severity = 1 + rng.weighted([55, 28, 13, 4]);
		const foundAt = start + Math.pow(rng.next(), 0.8) * (now - start);
		const rectifyDeadline = foundAt + RECTIFY_DAYS[severity] * DAY;
		const stuck = rng.chance(0.03);
		const rectifiedAt = stuck ? null : rng.chance(0.1) ? rectifyDeadline + rng.exponential(10 * DAY) : foundAt + rng.range(0.15, 0.95) * (rectifyDeadline - foundAt);
		const reinspectDeadline = rectifiedAt === null ? null : rectifiedAt + 7 * DAY;
		const reinspectedAt = rectifiedAt === null ? null : rectifiedAt + rng.exponential(3 * DAY);
		const rectified = rectifiedAt !== null && rectifiedAt <= now;
		const verified = rectified && reinspectedAt! <= now;
		out.push({
			id: i + 1, code: `YH${String(i + 1).padStart(6, '0')}`, type, severity,
			status: verified ? 'verified' : rectified ? 'rectified' : now - foundAt > 2 * DAY ? 'rectifying' : 'open',
			title: `${TITLES[type]}（${building.name}）`, grid: building.grid, building: building.id, foundAt, rectifyDeadline,
			rectifiedAt: rectified ? rectifiedAt : null, reinspectDeadline: rectified ? reinspectDeadline : null, reinspectedAt: verified ? reinspectedAt : null,
			p: jitterWithin(geo, building.grid, building.p, 8, rng)
		});
	}
	return out;
}

export interface DoorKnock { household: number; visitor: number; at: number }

/** A year of 敲门行动: each grid has its own pace; vulnerable households are visited more. */
export function generateDoorKnocks(households: Household[], gridManagers: number[], gridCount: number, now: number, rng: Random) {
	// visits per household per year: about one 敲门 round a quarter on average, some grids far behind
	const pace = Array.from({ length: gridCount }, () => Math.max(0.3, rng.normal(2.8, 1.1)));
	const knocks: DoorKnock[] = [];
	const lastVisit = new Float64Array(households.length + 1);
	for (const h of households) {
		const n = rng.poisson(pace[h.grid] * (h.tags.length ? 2 : 1));
		for (let k = 0; k < n; k++) {
			const at = now - rng.range(0, 365) * DAY;
			knocks.push({ household: h.id, visitor: gridManagers[h.grid], at });
			if (at > lastVisit[h.id]) lastVisit[h.id] = at;
		}
	}
	return { knocks, lastVisit };
}

export interface Visit {
	id: number; leader: number; title: string; type: string; unannounced: boolean; date: number; startedAt: number; finishedAt: number;
	stops: { grid: number; name: string; purpose: string; p: XY; arrive: number; depart: number }[]; findings: string; decisions: string;
}

const VISIT_TYPES = ['research', 'onsite_office', 'petition_reception', 'publicity'];
const PURPOSES: Record<string, string> = { research: '调研了解', onsite_office: '现场办公', petition_reception: '接待来访群众', publicity: '政策宣讲' };

/** Past visits of the last year: most to the leader's 包联 places, some to hotspots. */
export function generateVisits(geo: Geography, leaders: number[], pairedGrids: Map<number, number[]>, hotspots: Hotspot[], now: number, rng: Random): Visit[] {
	const visits: Visit[] = [];
	for (const leader of leaders) {
		const own = pairedGrids.get(leader) ?? [];
		const n = rng.int(8, 15);
		for (let k = 0; k < n; k++) {
			const day = now - rng.range(3, 365) * DAY;
			const date = day - (day % DAY) + 1 * 3_600_000; // 09:00 CST
			const type = VISIT_TYPES[rng.weighted([45, 25, 20, 10])];
			const pool = own.length && rng.chance(0.7) ? own : [...rng.pick(hotspots).grids];
			const stops = Array.from({ length: rng.int(2, 4) }, (_, s) => {
				const grid = geo.grids[rng.pick(pool)];
				const arrive = date + s * 100 * 60_000;
				return { grid: grid.index, name: grid.name, purpose: `${PURPOSES[type]}：${geo.communities[grid.community].name}`, p: grid.seed, arrive, depart: arrive + 60 * 60_000 };
			});
			visits.push({
				id: visits.length + 1, leader, title: `${PURPOSES[type]}（${geo.communities[geo.grids[stops[0].grid].community].name}等）`, type,
				unannounced: rng.chance(0.25), date, startedAt: stops[0].arrive, finishedAt: stops[stops.length - 1].depart, stops,
				findings: '现场发现问题已录入诉求系统（演示数据）', decisions: '责成相关部门限期办结（演示数据）'
			});
		}
	}
	return visits;
}

export interface CareVisit { household: number; visitor: number; at: number; situation: string; helpKind: string; helpText: string | null; nextStep: string | null }

const CARE_SITUATIONS: Record<string, string[]> = {
	elderly_alone: ['老人独自在家，精神尚好，饮食正常', '老人腿脚不便，近日少有出门', '老人血压偏高，按时服药', '老人家中燃气、电器使用安全'],
	low_income: ['家庭收入仍较低，低保金按月到账', '家中有人待业，正在找工作', '子女上学开支较大'],
	disabled: ['行动不便，日常由家属照料', '辅助器具需要更换', '康复训练按计划进行'],
	left_behind_child: ['孩子由祖辈照看，学习正常', '孩子放学后常独自在家', '孩子与外出务工父母每周通话']
};
const CARE_HELP: [string, string | null][] = [
	['none', null], ['none', null], ['daily_care', '帮助打扫卫生、代购生活用品'], ['health', '联系社区医生上门测量血压'],
	['material', '送去米油等慰问物资'], ['policy', '协助办理临时救助申请'], ['emotional', '陪同聊天，了解近况'], ['safety', '检查燃气阀门和用电线路']
];
const CARE_NEXT = [null, null, '下周再来看看', '跟进救助申请进度', '联系家属商量照护安排'];

/**
 * About 75 days of 关爱走访 to the care households (the domain's default frequencies, strictest tag):
 * each grid's worker keeps the rhythm to a different degree (gap = frequency × the grid's pace,
 * jittered), and a few households were never visited — so today some are on time, some 临期 and
 * some 逾期, in grids that differ.
 */
export function generateCareVisits(households: Household[], gridManagers: number[], gridCount: number, now: number, careDays: (tags: string[]) => number | null, rng: Random): CareVisit[] {
	const pace = Array.from({ length: gridCount }, () => Math.max(0.6, rng.normal(0.95, 0.2)));
	const out: CareVisit[] = [];
	for (const h of households) {
		const days = careDays(h.tags);
		if (days === null) continue;
		if (rng.chance(0.02)) continue; // never visited
		const tag = h.tags.find((t) => CARE_SITUATIONS[t]) ?? 'elderly_alone';
		// visits in the worker's day: 09:00–17:00 Beijing
		for (let t = now - 75 * DAY + rng.range(0, days) * DAY; t < now - DAY; t += days * pace[h.grid] * rng.range(0.75, 1.2) * DAY) {
			const at = Math.floor(t / DAY) * DAY + (1 + rng.range(0, 8)) * 3600_000;
			const [helpKind, helpText] = rng.pick(CARE_HELP);
			out.push({ household: h.id, visitor: gridManagers[h.grid], at, situation: rng.pick(CARE_SITUATIONS[tag]), helpKind, helpText, nextStep: rng.pick(CARE_NEXT) });
		}
	}
	return out;
}
