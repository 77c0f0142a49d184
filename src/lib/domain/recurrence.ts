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
