// The KPIs of domain.md: names, labels, targets and the red/amber/green rating. The numbers are
// counted in SQL (src/lib/server/kpi); this module only knows what they mean.
import { badParam, intParam } from './apierror';
import { CLOSED_STATUS } from './glossary';
import { formatRate } from './numbers';

export type KpiKey =
	| 'accept_rate' | 'close_rate' | 'ontime_rate' | 'solved_rate' | 'satisfaction_rate'
	| 'overdue' | 'whistle_rate' | 'visit_coverage' | 'hazard_rate' | 'final_satisfaction_rate' | 'mediation_rate' | 'care_rate';

/** KPIs shown beside another (KpiDef.beside): coloured by its target, not ranked, not in an area's overall colour. */
export type BesideKpi = 'final_satisfaction_rate';
/** The KPIs with a target of their own. */
export type TargetedKpi = Exclude<KpiKey, BesideKpi>;

/**
 * 申诉 支持 (an upheld appeal, verification.ts): the contested evaluation is set aside — counted in
 * neither numerator nor denominator of these KPIs (满意率 and 解决率 share the count of
 * evaluations; 最终满意率 when it was the latest). 驳回 or pending: it counts as before.
 * Migration 0033's kpi_request_contributions() applies it.
 */
export const APPEAL_SETS_ASIDE: readonly KpiKey[] = ['satisfaction_rate', 'solved_rate', 'final_satisfaction_rate'];
/** Whether an evaluation counts for APPEAL_SETS_ASIDE, given the status of its 申诉 (if any). */
export const evaluationCounts = (appealStatus: 'pending' | 'upheld' | 'rejected' | null): boolean => appealStatus !== 'upheld';

/** 满意 and 基本满意: the ratings 满意率 counts as satisfied (requests.satisfaction, evaluation payloads). */
export const SATISFIED_RATINGS: readonly string[] = ['satisfied', 'basic'];

/** 信访件: requests of this kind are the cases 化解率 counts. */
export const PETITION_KIND = 'petition';
/**
 * 息访, a petition case closed with the petitioner's agreement: 销号 (the request's closed status)
 * after an evaluation in SATISFIED_RATINGS, the petitioner's own rating of the outcome.
 */
export const SETTLED_STATUS = CLOSED_STATUS.request;

/** 入户走访覆盖率 looks back this many days unless asked otherwise: one 敲门 round a quarter. */
export const DEFAULT_VISIT_DAYS = 90;

/** 入户走访覆盖率's N from a query (`days`): DEFAULT_VISIT_DAYS unless given, 1–365. */
export const visitDaysParam = (raw: string | null): number => (raw ? intParam(raw, 'days', '走访天数', 1, 365) : DEFAULT_VISIT_DAYS);

export type Rag = 'green' | 'amber' | 'red' | 'none';

export interface KpiDef {
	key: KpiKey;
	label: string;
	/** how the ratio is made, shown next to the number */
	definition: string;
	kind: 'rate' | 'count';
	/** what a drill-down lists */
	subject: 'requests' | 'households' | 'hazards';
	/** shown beside this KPI and measured against its target (最终满意率 beside 满意率) */
	beside?: TargetedKpi;
	/** counted over requests of this kind only (化解率: 信访件), shown in its own section */
	caseKind?: typeof PETITION_KIND;
	/** counted apart from the others (server/care/kpi.ts) and shown in its own section: 关爱对象 */
	section?: 'care';
}

export const KPIS: readonly KpiDef[] = [
	{ key: 'accept_rate', label: '受理率', definition: '时限内接单的派单次数 ÷ 期内派单次数（含改派）', kind: 'rate', subject: 'requests' },
	{ key: 'close_rate', label: '办结率', definition: '已办结 ÷ 期内应办结', kind: 'rate', subject: 'requests' },
	{ key: 'ontime_rate', label: '按期办结率', definition: '按期办结 ÷ 办结', kind: 'rate', subject: 'requests' },
	{ key: 'solved_rate', label: '解决率', definition: '评价“已解决” ÷ 期内评价次数（含返工前的评价）', kind: 'rate', subject: 'requests' },
	{ key: 'satisfaction_rate', label: '满意率', definition: '满意+基本满意 ÷ 期内评价次数（含返工前的评价）', kind: 'rate', subject: 'requests' },
	{ key: 'final_satisfaction_rate', label: '最终满意率', definition: '最近一次评价满意+基本满意 ÷ 期内有评价的诉求（每件只计最近一次）', kind: 'rate', subject: 'requests', beside: 'satisfaction_rate' },
	{ key: 'overdue', label: '超期数', definition: '期末（至今的时段为此刻）已过当前环节时限仍未办结', kind: 'count', subject: 'requests' },
	{ key: 'whistle_rate', label: '吹哨响应率', definition: '时限内报到部门 ÷ 被吹哨部门', kind: 'rate', subject: 'requests' },
	{ key: 'visit_coverage', label: '入户走访覆盖率', definition: '近 N 天走访过的户 ÷ 总户数', kind: 'rate', subject: 'households' },
	{ key: 'hazard_rate', label: '隐患整改率', definition: '按期整改并复查销号 ÷ 期内应整改', kind: 'rate', subject: 'hazards' },
	{ key: 'mediation_rate', label: '化解率', definition: '息访（信访人评价满意或基本满意后销号） ÷ 期内应办结的信访件', kind: 'rate', subject: 'requests', caseKind: PETITION_KIND },
	{ key: 'care_rate', label: '关爱走访按时率', definition: '期内到期的关爱走访中按周期完成的 ÷ 期内到期的关爱走访（从未走访的关爱对象每期计一次未按时）', kind: 'rate', subject: 'households', section: 'care' }
];

export const KPI_BY_KEY = Object.fromEntries(KPIS.map((k) => [k.key, k])) as Record<KpiKey, KpiDef>;

/** 目标值 per KPI: a rate (0…1), or for 超期数 the count allowed. Admins may change them. */
export type KpiTargets = Record<TargetedKpi, number>;

/** domain.md's default targets. */
export const DEFAULT_TARGETS: KpiTargets = {
	accept_rate: 0.95, close_rate: 0.9, ontime_rate: 0.9, solved_rate: 0.9, satisfaction_rate: 0.9,
	overdue: 0, whistle_rate: 0.95, visit_coverage: 0.6, hazard_rate: 0.9, mediation_rate: 0.85,
	// not in domain.md: our default, as for the other rates of on-time work
	care_rate: 0.9
};

/**
 * The KPIs whose target an admin may change (/admin/kpi-targets): the rates. 超期数 keeps
 * domain.md's fixed rule (green at 0, amber up to OVERDUE_AMBER_PER_1000), which is no percentage.
 */
export const TARGET_KPIS: readonly TargetedKpi[] = KPIS.filter((k) => k.kind === 'rate' && !k.beside).map((k) => k.key as TargetedKpi);

/** The target `key` is measured against: its own, or that of the KPI it is shown beside. */
export const targetOf = (key: KpiKey, targets: KpiTargets = DEFAULT_TARGETS): number => targets[KPI_BY_KEY[key].beside ?? (key as TargetedKpi)];

/** A configured target as stored and typed: a percentage with at most this many decimals. */
export const TARGET_DECIMALS = 1;

/** A rate target (0…1) as the percentage an admin types: 0.95 → 95, 0.925 → 92.5. */
export const targetPercent = (target: number): number => Math.round(target * 100 * 10 ** TARGET_DECIMALS) / 10 ** TARGET_DECIMALS;

/**
 * One target as an admin typed it (a number or its text, in percent): the percentage, or null for
 * "use the default" (empty). Anything else is refused naming the KPI's key as the field.
 */
export function parseTargetPercent(key: KpiKey, raw: unknown): number | null {
	if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return null;
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : null;
	const label = KPI_BY_KEY[key].label;
	const n = text !== null && /^\d{1,3}(\.\d+)?$/.test(text) ? Number(text) : NaN;
	if (!Number.isFinite(n) || n < 0 || n > 100) {
		throw badParam(key, `${label}的目标值（${key}）须为 0 到 100 之间的百分数，收到“${String(raw).slice(0, 20)}”`);
	}
	// by the text, not by arithmetic: 1.1 × 10 is 11.000000000000002
	if (!new RegExp(`^\\d+(\\.\\d{1,${TARGET_DECIMALS}})?$`).test(text!)) {
		throw badParam(key, `${label}的目标值（${key}）最多保留 ${TARGET_DECIMALS} 位小数，收到“${text}”`);
	}
	return n;
}

/**
 * The targets in force: the configured percentages (by KPI key) over domain.md's defaults. Keys
 * that are no configurable KPI (left from an older version) are ignored.
 */
export function targetsFrom(configured: Readonly<Record<string, number>>): KpiTargets {
	const t = { ...DEFAULT_TARGETS };
	for (const k of TARGET_KPIS) if (configured[k] !== undefined && configured[k] !== null) t[k] = Number(configured[k]) / 100;
	return t;
}

/** 黄: a rate up to this far below its target (5 percentage points). */
export const AMBER_BELOW = 0.05;
/**
 * 黄 for 超期数: above the target but at most this many per 1 000 households of the scope; a scope
 * without households (a department) is amber up to this many items.
 */
export const OVERDUE_AMBER_PER_1000 = 2;

export interface RagContext {
	targets?: KpiTargets;
	/** households in the scope, for 超期数 per 1 000 households; null when none belong to it */
	households?: number | null;
}

export interface KpiValue {
	key: KpiKey;
	/** numerator (for 超期数 the count itself) */
	num: number;
	/** denominator; null for counts */
	den: number | null;
	/** num/den for rates (null when den is 0), num for counts */
	value: number | null;
	rag: Rag;
}

export function kpiValue(key: KpiKey, num: number, den: number | null, ctx: RagContext = {}): KpiValue {
	const def = KPI_BY_KEY[key];
	const value = def.kind === 'count' ? num : den ? num / den : null;
	return { key, num, den: def.kind === 'count' ? null : den, value, rag: ragOf(key, value, ctx) };
}

/**
 * Where a KPI's colours change: a rate is green from `target` up and amber from `amberFrom` up (red
 * below); a count (超期数) is green up to `target` and amber up to `amberUpTo` (red above). ragOf
 * and the charts' bands (/kpi) both read them, so a point's colour and its band agree.
 */
export type RagBounds = { kind: 'rate'; target: number; amberFrom: number } | { kind: 'count'; target: number; amberUpTo: number };

export function ragBounds(key: KpiKey, ctx: RagContext = {}): RagBounds {
	const target = targetOf(key, ctx.targets);
	if (KPI_BY_KEY[key].kind === 'count') {
		return { kind: 'count', target, amberUpTo: ctx.households ? (OVERDUE_AMBER_PER_1000 * ctx.households) / 1000 : OVERDUE_AMBER_PER_1000 };
	}
	return { kind: 'rate', target, amberFrom: target - AMBER_BELOW };
}

/**
 * 红黄绿 against the KPI's target, not against the other units (domain.md): green at or above the
 * target, amber within AMBER_BELOW under it, red further below; 超期数 green at or under its target,
 * amber up to OVERDUE_AMBER_PER_1000 per 1 000 households, red above.
 */
export function ragOf(key: KpiKey, value: number | null, ctx: RagContext = {}): Rag {
	if (value === null) return 'none';
	const b = ragBounds(key, ctx);
	if (b.kind === 'count') return value <= b.target ? 'green' : value <= b.amberUpTo ? 'amber' : 'red';
	// a hair under the target (floating point: 0.9 of 10 is 0.8999…) still meets it
	const eps = 1e-9;
	return value >= b.target - eps ? 'green' : value >= b.amberFrom - eps ? 'amber' : 'red';
}

const ORDER: Record<Rag, number> = { none: 0, green: 1, amber: 2, red: 3 };

/** An area is as red as its worst KPI: one badly missed target is what a leader must see. */
export function overallRag(values: readonly KpiValue[]): Rag {
	return values.reduce<Rag>((worst, v) => (ORDER[v.rag] > ORDER[worst] ? v.rag : worst), 'none');
}

/**
 * Ranking score: the mean of the available rates, minus 1 point per overdue item per 100 open
 * (so a place drowning in overdue work sinks even when its closed work scores well).
 */
export function rankScore(values: readonly KpiValue[], open: number): number {
	const rates = values.filter((v) => KPI_BY_KEY[v.key].kind === 'rate' && v.value !== null).map((v) => v.value!);
	const mean = rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : 0;
	const overdue = values.find((v) => v.key === 'overdue')?.num ?? 0;
	return mean - (open > 0 ? overdue / open : 0);
}

/** '12.3%' for rates, the integer for counts, '—' when there is nothing to divide. */
export function formatKpi(v: KpiValue): string {
	if (v.value === null) return '—';
	return KPI_BY_KEY[v.key].kind === 'count' ? String(v.value) : formatRate(v.value);
}

export const RAG_LABEL: Record<Rag, string> = { green: '绿', amber: '黄', red: '红', none: '无数据' };
