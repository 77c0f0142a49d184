// The KPIs of domain.md: names, labels, targets and the red/amber/green rating. The numbers are
// counted in SQL (src/lib/server/kpi); this module only knows what they mean.

export type KpiKey =
	| 'accept_rate' | 'close_rate' | 'ontime_rate' | 'solved_rate' | 'satisfaction_rate'
	| 'overdue' | 'whistle_rate' | 'visit_coverage' | 'hazard_rate';

/** 入户走访覆盖率 looks back this many days unless asked otherwise: one 敲门 round a quarter. */
export const DEFAULT_VISIT_DAYS = 90;

export type Rag = 'green' | 'amber' | 'red' | 'none';

export interface KpiDef {
	key: KpiKey;
	label: string;
	/** how the ratio is made, shown next to the number */
	definition: string;
	kind: 'rate' | 'count';
	/** rates: at or above green is green, below red is red; counts: at or below green is green */
	green: number;
	red: number;
	/** what a drill-down lists */
	subject: 'requests' | 'households' | 'hazards';
}

export const KPIS: readonly KpiDef[] = [
	{ key: 'accept_rate', label: '受理率', definition: '时限内接单 ÷ 派单', kind: 'rate', green: 0.95, red: 0.85, subject: 'requests' },
	{ key: 'close_rate', label: '办结率', definition: '已办结 ÷ 期内应办结', kind: 'rate', green: 0.95, red: 0.85, subject: 'requests' },
	{ key: 'ontime_rate', label: '按期办结率', definition: '按期办结 ÷ 办结', kind: 'rate', green: 0.9, red: 0.8, subject: 'requests' },
	{ key: 'solved_rate', label: '解决率', definition: '评价“已解决” ÷ 已评价', kind: 'rate', green: 0.9, red: 0.8, subject: 'requests' },
	{ key: 'satisfaction_rate', label: '满意率', definition: '满意+基本满意 ÷ 已评价', kind: 'rate', green: 0.9, red: 0.8, subject: 'requests' },
	{ key: 'overdue', label: '超期数', definition: '此刻已过时限仍未办结', kind: 'count', green: 0, red: 5, subject: 'requests' },
	{ key: 'whistle_rate', label: '吹哨响应率', definition: '时限内报到部门 ÷ 被吹哨部门', kind: 'rate', green: 0.95, red: 0.8, subject: 'requests' },
	{ key: 'visit_coverage', label: '入户走访覆盖率', definition: '近 N 天走访过的户 ÷ 总户数', kind: 'rate', green: 0.8, red: 0.5, subject: 'households' },
	{ key: 'hazard_rate', label: '隐患整改率', definition: '已整改并复查 ÷ 期内应整改', kind: 'rate', green: 0.9, red: 0.7, subject: 'hazards' }
];

export const KPI_BY_KEY = Object.fromEntries(KPIS.map((k) => [k.key, k])) as Record<KpiKey, KpiDef>;

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

export function kpiValue(key: KpiKey, num: number, den: number | null): KpiValue {
	const def = KPI_BY_KEY[key];
	const value = def.kind === 'count' ? num : den ? num / den : null;
	return { key, num, den: def.kind === 'count' ? null : den, value, rag: rate(def, value) };
}

function rate(def: KpiDef, value: number | null): Rag {
	if (value === null) return 'none';
	if (def.kind === 'count') return value <= def.green ? 'green' : value >= def.red ? 'red' : 'amber';
	return value >= def.green ? 'green' : value < def.red ? 'red' : 'amber';
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
	return KPI_BY_KEY[v.key].kind === 'count' ? String(v.value) : `${(v.value * 100).toFixed(1)}%`;
}

export const RAG_LABEL: Record<Rag, string> = { green: '绿', amber: '黄', red: '红', none: '无数据' };
