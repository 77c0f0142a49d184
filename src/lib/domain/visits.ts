// 走访 (四下基层) as a list: which visits, by period, type and leader, a page at a time. One parser
// for the page, the API and the map, so the counts by type, the list and the dots always mean the
// same visits.
import { badParam, enumParam, intParam } from './apierror';

/** 四下基层的四种走访: 宣传下基层, 调研下基层, 信访接待下基层, 现场办公下基层. */
export const VISIT_TYPES = ['publicity', 'research', 'petition_reception', 'onsite_office'] as const;
export type VisitType = (typeof VISIT_TYPES)[number];

/** One colour per type on the visits map and its legend (the palette of the request map's categories). */
export const VISIT_TYPE_COLOR: Record<VisitType, string> = {
	publicity: '#7b1fa2', research: '#1f5fd1', petition_reception: '#e65100', onsite_office: '#2e7d32'
};

/** A page of the visit list: long enough to scan, short enough for a phone. */
export const VISIT_PAGE_SIZE = 50;

export interface VisitFilter {
	/** planned_date range, both inclusive, YYYY-MM-DD (a visit's date is a Beijing calendar day) */
	from: string | null;
	to: string | null;
	type: VisitType | null;
	leader: number | null;
	/** 1-based */
	page: number;
}

function day(raw: string | null, field: 'from' | 'to', label: string): string | null {
	if (!raw) return null;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`)) || new Date(`${raw}T00:00:00Z`).toISOString().slice(0, 10) !== raw) {
		throw badParam(field, `${label}（${field}）应为 YYYY-MM-DD 格式的日期，收到“${raw}”`);
	}
	return raw;
}

export function parseVisitFilter(q: URLSearchParams): VisitFilter {
	const from = day(q.get('from'), 'from', '开始日期');
	const to = day(q.get('to'), 'to', '结束日期');
	if (from && to && from > to) throw badParam('from', `开始日期（from）${from} 晚于结束日期（to）${to}`);
	return {
		from, to,
		type: q.get('type') ? enumParam(q.get('type'), 'type', '走访类型', VISIT_TYPES) : null,
		leader: q.get('leader') ? intParam(q.get('leader'), 'leader', '带队领导', 1, 2 ** 31 - 1) : null,
		page: q.get('page') ? intParam(q.get('page'), 'page', '页码', 1, 100_000) : 1
	};
}

/** The query string of a filter with some fields changed (links to other pages, type chips). */
export function visitQuery(f: VisitFilter, patch: Partial<VisitFilter> = {}): string {
	const g = { ...f, ...patch };
	const q = new URLSearchParams();
	if (g.from) q.set('from', g.from);
	if (g.to) q.set('to', g.to);
	if (g.type) q.set('type', g.type);
	if (g.leader) q.set('leader', String(g.leader));
	if (g.page > 1) q.set('page', String(g.page));
	const s = q.toString();
	return s ? `?${s}` : '';
}

/**
 * 议定事项 overdue: not yet 落实 and past its deadline, a Beijing calendar day (due on `dueDate`,
 * overdue from the day after). Without a deadline it is never overdue.
 */
export function decisionOverdue(dueDate: string | null, done: boolean, today: string): boolean {
	return !done && dueDate !== null && dueDate < today;
}

/** What was done (落实情况): 1–500 characters, named `note` when missing or too long. */
export function parseDecisionNote(raw: unknown): string {
	const note = typeof raw === 'string' ? raw.trim() : '';
	if (!note || note.length > 500) throw badParam('note', '请填写落实情况（note），不超过 500 字');
	return note;
}
