// The filters of the request list, the KPI page, their drill-downs and the exports, parsed from
// a URL's query string. One parser, so a filtered list and its .xlsx always mean the same rows.
import { badParam, enumParam, intParam } from './apierror';
import { KPIS, type KpiKey } from './kpi';
import { ALL_STATUSES, type RequestStatus } from './workflow';
import { CST_OFFSET_MS, localDate } from './time';

export interface RequestFilter {
	/** area code prefix: district 6, street 9, community 12, grid 15 digits */
	area: string | null;
	statuses: RequestStatus[] | null;
	/** 'open' = every open status */
	open: boolean;
	overdue: boolean;
	category: string | null;
	kind: string | null;
	department: number | null;
	/** 包联: only the places paired with this leader (query `pairing`, formerly `leader`) */
	pairing: number | null;
	/** period [from, to) as instants; from/to dates are CST days, `to` inclusive */
	from: Date;
	to: Date;
	q: string | null;
	/** drill-down: the requests behind one KPI number */
	kpi: KpiKey | null;
	part: 'num' | 'den';
	limit: number;
	offset: number;
}

const DAY = 86_400_000;
const KPI_KEYS = KPIS.map((k) => k.key);

function cstDate(raw: string, field: string): number {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) {
		throw badParam(field, `日期（${field}）格式应为 YYYY-MM-DD，收到“${raw}”`);
	}
	return Date.parse(`${raw}T00:00:00Z`) - CST_OFFSET_MS;
}


export function parseRequestFilter(q: URLSearchParams, now = new Date(), defaultDays = 90): RequestFilter {
	const area = q.get('area') || null;
	if (area && !/^\d{6}(\d{3}){0,3}$/.test(area)) throw badParam('area', `区域代码（area）应为 6/9/12/15 位数字，收到“${area}”`);
	const statusRaw = q.get('status') || null;
	const open = statusRaw === 'open';
	const statuses = statusRaw && !open
		? statusRaw.split(',').map((s) => enumParam(s, 'status', '状态', ALL_STATUSES))
		: null;
	const toDay = q.get('to') ? cstDate(q.get('to')!, 'to') : cstDate(localDate(now), 'to');
	const to = toDay + DAY;
	const from = q.get('from') ? cstDate(q.get('from')!, 'from') : to - defaultDays * DAY;
	if (from >= to) throw badParam('from', '开始日期（from）必须早于或等于结束日期（to）');
	const kpi = q.get('kpi') ? enumParam(q.get('kpi'), 'kpi', '指标', KPI_KEYS) : null;
	const text = q.get('q')?.trim() || null;
	if (text && text.length > 50) throw badParam('q', '搜索词（q）不能超过 50 个字');
	const category = q.get('category') || null;
	if (category && !/^[a-z_]+(\.[a-z_]+)?$/.test(category)) throw badParam('category', `类别代码（category）格式不对：“${category}”`);
	return {
		area, statuses, open, overdue: q.get('overdue') === '1', category,
		kind: q.get('kind') ? enumParam(q.get('kind'), 'kind', '诉求类型', ['request', 'petition', 'dispute', 'wish']) : null,
		department: q.get('department') ? intParam(q.get('department'), 'department', '部门', 1, 1e9) : null,
		// `leader` was the parameter's name before the glossary: old links keep working
		pairing: (q.get('pairing') || q.get('leader')) ? intParam(q.get('pairing') || q.get('leader'), 'pairing', '包联领导', 1, 1e9) : null,
		from: new Date(from), to: new Date(to), q: text, kpi,
		part: q.get('part') === 'num' ? 'num' : 'den',
		limit: q.get('limit') ? intParam(q.get('limit'), 'limit', '条数', 1, 10000) : 200,
		offset: q.get('offset') ? intParam(q.get('offset'), 'offset', '偏移', 0, 1e7) : 0
	};
}

/** The query string of a filter (what links and exports carry). */
export function filterQuery(f: Partial<Record<string, string | number | null | undefined>>): string {
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(f)) if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
	return p.toString();
}
