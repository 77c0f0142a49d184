// Recurrence (未诉先办): places and households that keep reporting the same kind of problem, with
// the expected date of the next report so that someone can act before it comes.

export interface RecurrenceItem {
	/** what repeats: a household id or a place key (address) */
	key: string;
	category: string;
	/** report time, ms since epoch */
	at: number;
}

export interface RecurrenceOptions {
	/** reports of the same kind, same key, that make a recurrence (integer ≥ 2) */
	minCount?: number;
	/** now, ms since epoch: the expected next report is never before it */
	now?: number;
}

export const RECURRENCE_DEFAULTS = { minCount: 3 };

export interface Recurrence {
	key: string;
	category: string;
	count: number;
	first: number;
	last: number;
	/** mean days between consecutive reports */
	meanGapDays: number;
	/** last + mean gap, ms since epoch (or now when that is already past) */
	expectedNext: number;
	/** expected next report already overdue relative to the mean gap */
	due: boolean;
}

const DAY = 86_400_000;

export function findRecurrences(items: readonly RecurrenceItem[], options: RecurrenceOptions = {}): Recurrence[] {
	const minCount = options.minCount ?? RECURRENCE_DEFAULTS.minCount;
	if (!Number.isInteger(minCount) || minCount < 2) throw new Error(`findRecurrences: minCount must be an integer ≥ 2, got ${minCount}`);
	const now = options.now ?? Date.now();
	const groups = new Map<string, number[]>();
	for (const it of items) {
		const k = `${it.key}\u0000${it.category}`;
		let g = groups.get(k);
		if (!g) groups.set(k, (g = []));
		g.push(it.at);
	}
	const out: Recurrence[] = [];
	for (const [k, times] of groups) {
		if (times.length < minCount) continue;
		times.sort((a, b) => a - b);
		const [key, category] = k.split('\u0000');
		const first = times[0], last = times[times.length - 1];
		const gap = (last - first) / (times.length - 1);
		const next = last + gap;
		out.push({ key, category, count: times.length, first, last, meanGapDays: Math.round((gap / DAY) * 10) / 10, expectedNext: Math.max(next, now), due: next <= now });
	}
	return out.sort((a, b) => b.count - a.count || a.expectedNext - b.expectedNext || (a.key < b.key ? -1 : 1));
}

/** What a recurrence needs to become a 未诉先办 task (a row of the server's recurrence list). */
export interface RecurrenceTask {
	key: string; category: string; categoryName: string; address: string; lon: number; lat: number;
	count: number; meanGapDays: number; expectedNext: string;
}

/**
 * 未诉先办 in one tap: the report form prefilled at the place (and household) that keeps reporting,
 * with its category and a description saying why, so the task enters the loop (派单 → 办结) like any
 * report, before the next complaint comes.
 */
export function recurrenceTaskHref(r: RecurrenceTask, days: number): string {
	const q = new URLSearchParams({ lon: r.lon.toFixed(6), lat: r.lat.toFixed(6), categoryCode: r.category, channel: 'grid' });
	if (/^h\d+$/.test(r.key)) q.set('householdId', r.key.slice(1));
	if (r.address) q.set('address', r.address);
	q.set('description', `未诉先办：近 ${days} 天这里已报“${r.categoryName}” ${r.count} 次，平均 ${r.meanGapDays} 天一次，预计 ${r.expectedNext.slice(0, 10)} 前后再发。请提前上门排查处置。`);
	return `/requests/new?${q}`;
}
