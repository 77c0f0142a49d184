// 解剖麻雀 (research) site choice: for a topic and k, choose k grids that are acute, typical, diverse and
// fresh (domain.md), each with a written reason quoting its numbers, plus a contrast grid that
// handles the same problem well. Pure and explainable: every pick carries its component scores.
import { per100Households } from './ebsmooth';
import { competitionRanks, formatRate, rankLabel, type Ranked } from './numbers';
import { binLabel } from './gistar';

/** The scoring weights, all in one place. Each is a relative weight ≥ 0 (0 switches a term off). */
export interface ResearchWeights {
	/** 诉求量: topic requests per 100 households, as a percentile among candidates */
	volume: number;
	/** 超期: open requests past their deadline, percentile */
	overdue: number;
	/** 重复: households/places reporting the same kind again, percentile */
	repeat: number;
	/** 不满意: share of evaluated requests rated 不满意 (shrunk to the district rate), percentile */
	dissatisfaction: number;
	/** 隐患: open serious hazards of the topic's kind, percentile */
	hazards: number;
	/** 热点: Gi* z-score, 0 at z ≤ 0, 1 at z ≥ 3 */
	hotspot: number;
	/** 典型: cosine similarity of the grid's sub-type mix to the district's mix for the topic */
	typical: number;
	/** 未走访: 1 when no leader visited within freshDays, less when visited more recently */
	fresh: number;
	/** 分散: penalty for resembling an earlier pick: same street .35, setting .1, main sub-type .15, within 1.5 km .4 */
	diversity: number;
}

export const DEFAULT_WEIGHTS: ResearchWeights = {
	volume: 1, overdue: 0.8, repeat: 0.6, dissatisfaction: 0.8, hazards: 0.5, hotspot: 1, typical: 0.8, fresh: 0.6, diversity: 0.8
};

export const WEIGHT_LABEL: Record<keyof ResearchWeights, string> = {
	volume: '诉求量', overdue: '超期', repeat: '重复诉求', dissatisfaction: '不满意', hazards: '相关隐患', hotspot: 'Gi* 热点', typical: '典型性', fresh: '近期未走访', diversity: '分散度'
};

export interface ResearchOptions {
	/** sites to choose (integer 1–20) */
	k?: number;
	/** requests of the topic a grid needs in the period to be a candidate (count) */
	minCount?: number;
	/** a leader visit within this many days makes a grid less fresh (days) */
	freshDays?: number;
	/** true: only grids that are Gi* hot (bin ≥ 1) while enough of them exist */
	requireHot?: boolean;
	/** true: grids visited within freshDays stay eligible */
	allowVisited?: boolean;
	weights?: Partial<ResearchWeights>;
}

export const RESEARCH_DEFAULTS = { k: 5, minCount: 5, freshDays: 90, requireHot: true, allowVisited: false };

export interface SiteCandidate {
	code: string; name: string; street: string; streetName: string; setting: 'urban' | 'rural';
	lon: number; lat: number; households: number;
	/** topic requests in the period */
	count: number; overdue: number; repeat: number; evaluated: number; unsatisfied: number; hazards: number;
	/** Gi* z and bin of the grid for the topic */
	z: number; bin: number;
	/** topic requests per sub-type, in TopicContext.subtypes order */
	mix: number[];
	/** days since the latest leader visit, null = none on record */
	lastVisitDays: number | null;
}

export interface TopicContext { topic: string; periodDays: number; subtypes: string[]; districtMix: number[]; districtSatisfaction: number; districtUnsatisfied: number }

export type Components = Omit<ResearchWeights, 'diversity'>;

export interface Pick { code: string; role: 'study' | 'contrast'; score: number; components: Components; rank: number; reason: string }

const DAY_KM = 1.5;

function percentiles(values: number[]): number[] {
	const sorted = [...values].sort((a, b) => a - b);
	const n = values.length;
	// share of candidates strictly below, ties share the mid rank: 0 … 1
	return values.map((v) => {
		let lo = 0, hi = n;
		while (lo < hi) { const m = (lo + hi) >> 1; if (sorted[m] < v) lo = m + 1; else hi = m; }
		let up = lo;
		while (up < n && sorted[up] === v) up++;
		return n > 1 ? (lo + (up - lo - 1) / 2) / (n - 1) : 1;
	});
}

function cosine(a: number[], b: number[]): number {
	let ab = 0, aa = 0, bb = 0;
	for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
	return aa && bb ? ab / Math.sqrt(aa * bb) : 0;
}

// per 100 households as on every page (domain/ebsmooth.ts per100Households); 0 without households
const rate = (c: SiteCandidate) => per100Households(c.count, c.households) ?? 0;
const dominant = (mix: number[]) => mix.indexOf(Math.max(...mix));
const km = (a: SiteCandidate, b: SiteCandidate) => Math.hypot((a.lon - b.lon) * 111.32 * Math.cos((a.lat * Math.PI) / 180), (a.lat - b.lat) * 110.57);
const pct = formatRate;

export function validateWeights(w: Partial<Record<string, unknown>>): ResearchWeights {
	const out = { ...DEFAULT_WEIGHTS };
	for (const [k, v] of Object.entries(w)) {
		if (!(k in DEFAULT_WEIGHTS)) throw new Error(`未知的权重 ${k}`);
		const n = Number(v);
		if (!Number.isFinite(n) || n < 0 || n > 10) throw new Error(`权重 ${WEIGHT_LABEL[k as keyof ResearchWeights]}（${k}）必须是 0–10 之间的数，收到“${v}”`);
		out[k as keyof ResearchWeights] = n;
	}
	return out;
}

export function selectSites(candidates: readonly SiteCandidate[], ctx: TopicContext, options: ResearchOptions = {}): { picks: Pick[]; contrast: Pick | null; note: string | null } {
	const o = { ...RESEARCH_DEFAULTS, ...options };
	const w = validateWeights(options.weights ?? {});
	if (!Number.isInteger(o.k) || o.k < 1 || o.k > 20) throw new Error(`k 必须是 1–20 的整数，收到 ${o.k}`);
	// standard competition ranks by count: 39 grids tied at 5 requests are all 并列第84
	const rankOf = competitionRanks(candidates.map((c) => ({ key: c.code, value: c.count })));
	const pool = candidates.filter((c) => c.count >= o.minCount);
	const shrink = (c: SiteCandidate) => (c.unsatisfied + 5 * ctx.districtUnsatisfied) / (c.evaluated + 5);
	const [pv, po, pr, pd, ph] = [percentiles(pool.map(rate)), percentiles(pool.map((c) => c.overdue)), percentiles(pool.map((c) => c.repeat)), percentiles(pool.map(shrink)), percentiles(pool.map((c) => c.hazards))];
	const scored = pool.map((c, i) => {
		const components: Components = {
			volume: pv[i], overdue: po[i], repeat: pr[i], dissatisfaction: pd[i], hazards: ph[i],
			hotspot: Math.min(1, Math.max(0, c.z / 3)), typical: cosine(c.mix, ctx.districtMix),
			fresh: c.lastVisitDays === null ? 1 : Math.min(1, c.lastVisitDays / o.freshDays)
		};
		const total = (Object.keys(components) as (keyof Components)[]).reduce((s, k) => s + w[k], 0) || 1;
		const score = (Object.keys(components) as (keyof Components)[]).reduce((s, k) => s + w[k] * components[k], 0) / total;
		return { c, components, score };
	});
	// acute means the grid's own figures are high, not only its neighbourhood's: a 5-request grid
	// between two hot ones has a high Gi* z but is no place to study the problem
	const ownHigh = (s: (typeof scored)[number]) => s.components.volume >= 0.5 || s.components.overdue >= 0.5;
	let eligible = scored.filter((s) => (o.allowVisited || s.c.lastVisitDays === null || s.c.lastVisitDays >= o.freshDays) && ownHigh(s));
	let note: string | null = null;
	if (o.requireHot) {
		const hot = eligible.filter((s) => s.c.bin >= 1);
		if (hot.length >= o.k) eligible = hot;
		else note = `Gi* 显著热点网格只有 ${hot.length} 个，其余按得分补足`;
	}
	const picked: typeof scored = [];
	while (picked.length < o.k) {
		let best: (typeof scored)[number] | null = null, bestValue = -Infinity;
		for (const s of eligible) {
			if (picked.includes(s)) continue;
			const sim = picked.reduce((m, p) => Math.max(m, 0.35 * +(p.c.street === s.c.street) + 0.1 * +(p.c.setting === s.c.setting) + 0.15 * +(dominant(p.c.mix) === dominant(s.c.mix)) + 0.4 * +(km(p.c, s.c) < DAY_KM)), 0);
			const value = s.score - w.diversity * sim;
			if (value > bestValue || (value === bestValue && best && s.c.code < best.c.code)) { best = s; bestValue = value; }
		}
		if (!best) break;
		picked.push(best);
	}
	if (picked.length < o.k) note = `符合条件（近${ctx.periodDays}天${ctx.topic}诉求≥${o.minCount}件${o.allowVisited ? '' : '、近期未走访'}）的网格只有 ${picked.length} 个`;
	const picks = picked.map((s) => ({ code: s.c.code, role: 'study' as const, score: round(s.score), components: roundAll(s.components), rank: rankOf.get(s.c.code)!.rank, reason: studyReason(s.c, ctx, rankOf.get(s.c.code)!, o.freshDays) }));
	return { picks, contrast: contrastSite(scored, picked, ctx, rankOf, w), note };
}

function contrastSite(scored: { c: SiteCandidate; components: Components; score: number }[], picked: typeof scored, ctx: TopicContext, rankOf: Map<string, Ranked>, w: ResearchWeights): Pick | null {
	if (!picked.length) return null;
	const urban = picked.filter((p) => p.c.setting === 'urban').length * 2 >= picked.length;
	const setting = urban ? 'urban' : 'rural';
	const perf = (c: SiteCandidate) => (c.evaluated ? 1 - c.unsatisfied / c.evaluated : ctx.districtSatisfaction) - c.overdue / Math.max(1, c.count) - Math.max(0, c.z) / 10;
	const options = scored.filter((s) => !picked.includes(s) && s.c.setting === setting && s.c.bin <= 0 && s.c.evaluated >= 3 && s.components.typical >= 0.8);
	if (!options.length) return null;
	const best = options.reduce((a, b) => (perf(b.c) > perf(a.c) || (perf(b.c) === perf(a.c) && b.c.code < a.c.code) ? b : a));
	const c = best.c;
	const sat = c.evaluated ? 1 - c.unsatisfied / c.evaluated : 0;
	const reason = `对照点：同为${setting === 'urban' ? '城区' : '农村'}网格，${ctx.topic}问题结构与全区相似（相似度${best.components.typical.toFixed(2)}），近${ctx.periodDays}天${ctx.topic}诉求${c.count}件，超期${c.overdue}件，满意率${pct(sat)}（全区${pct(ctx.districtSatisfaction)}），Gi* ${binLabel(c.bin)}：看这里做对了什么`;
	void w;
	return { code: c.code, role: 'contrast', score: round(best.score), components: roundAll(best.components), rank: rankOf.get(c.code)!.rank, reason };
}

function studyReason(c: SiteCandidate, ctx: TopicContext, rank: Ranked, freshDays: number): string {
	const parts = [`近${ctx.periodDays}天${ctx.topic}诉求${c.count}件（每百户${rate(c).toFixed(1)}件），全区${rankLabel(rank)}`, `超期${c.overdue}件`];
	if (c.repeat) parts.push(`重复诉求${c.repeat}起`);
	if (c.evaluated) parts.push(`满意率${pct(1 - c.unsatisfied / c.evaluated)}，全区${pct(ctx.districtSatisfaction)}`);
	if (c.hazards) parts.push(`相关隐患${c.hazards}处`);
	parts.push(`Gi* ${binLabel(c.bin)}（z=${c.z.toFixed(2)}）`);
	const d = dominant(c.mix);
	const total = c.mix.reduce((a, b) => a + b, 0);
	if (total) parts.push(`主要问题：${ctx.subtypes[d]}（${pct(c.mix[d] / total)}）`);
	parts.push(c.lastVisitDays === null ? '无领导走访记录' : c.lastVisitDays >= freshDays ? `${c.lastVisitDays}天未有领导走访` : `${c.lastVisitDays}天前有领导走访`);
	return parts.join('；');
}

const round = (x: number) => Math.round(x * 1000) / 1000;
function roundAll(c: Components): Components {
	return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, round(v)])) as unknown as Components;
}
