// The hotspot filter from a query string: what to count (requests of a category, or hazards of a
// type), over which period and status, and the analysis settings. Bad input names its field.
import { badParam, enumParam, intParam } from '../../domain/apierror';
import { HAZARD_TYPES } from '../../domain/hazard';

export const SOURCES = ['requests', 'hazards'] as const;
export const STATUSES = ['all', 'open', 'closed'] as const;
export const WEIGHTINGS = ['contiguity', 'distance'] as const;

export interface HotspotFilter {
	source: (typeof SOURCES)[number];
	/** a request category (parent like 'property' or child like 'property.elevator'), a hazard type, or null = all */
	category: string | null;
	/** period length, days, ending now */
	days: number;
	status: (typeof STATUSES)[number];
	/** DBSCAN radius, metres, and minimum points */
	eps: number;
	minPoints: number;
	weighting: (typeof WEIGHTINGS)[number];
	/** distance band, metres (weighting = distance) */
	band: number;
	/** periods compared for emerging patterns, each `days` long */
	periods: number;
	fdr: boolean;
}

const opt = (q: URLSearchParams, k: string, d: string) => q.get(k) ?? d;

export function parseHotspotFilter(q: URLSearchParams, categories: ReadonlySet<string>): HotspotFilter {
	const source = enumParam(opt(q, 'source', 'requests'), 'source', '数据类型', SOURCES);
	const raw = q.get('category') || null;
	let category: string | null = null;
	if (raw && raw !== 'all') {
		const known = source === 'requests' ? categories.has(raw) : (HAZARD_TYPES as readonly string[]).includes(raw);
		if (!known) throw badParam('category', `未知的${source === 'requests' ? '诉求类别' : '隐患类型'} category：“${raw}”`);
		category = raw;
	}
	const fdr = opt(q, 'fdr', '1');
	if (fdr !== '0' && fdr !== '1') throw badParam('fdr', `fdr（错误发现率校正）只能是 0 或 1，收到“${fdr}”`);
	return {
		source, category,
		days: intParam(opt(q, 'days', '90'), 'days', '统计天数', 7, 730),
		status: enumParam(opt(q, 'status', 'all'), 'status', '办理状态', STATUSES),
		eps: intParam(opt(q, 'eps', '60'), 'eps', '聚类半径（米）', 5, 2000),
		minPoints: intParam(opt(q, 'minPoints', '6'), 'minPoints', '最少点数', 2, 500),
		weighting: enumParam(opt(q, 'weighting', 'contiguity'), 'weighting', '空间权重', WEIGHTINGS),
		band: intParam(opt(q, 'band', '1200'), 'band', '距离带（米）', 100, 20000),
		periods: intParam(opt(q, 'periods', '6'), 'periods', '比较期数', 2, 12),
		fdr: fdr === '1'
	};
}

export function filterQuery(f: HotspotFilter): string {
	const q = new URLSearchParams({ source: f.source, days: String(f.days), status: f.status, eps: String(f.eps), minPoints: String(f.minPoints), weighting: f.weighting, band: String(f.band), periods: String(f.periods), fdr: f.fdr ? '1' : '0' });
	if (f.category) q.set('category', f.category);
	return q.toString();
}
