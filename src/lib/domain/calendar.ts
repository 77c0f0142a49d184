// Working-day arithmetic in China Standard Time (UTC+8, no daylight saving). Deadlines (时限) are
// set in working days; weekends do not count. Statutory holidays are a configurable list of
// local dates ('YYYY-MM-DD').

import { CST_OFFSET_MS, localDate } from './time';

export { localDate };
const DAY_MS = 86_400_000;

function localDay(ms: number): { weekday: number; iso: string } {
	const local = new Date(ms + CST_OFFSET_MS);
	return { weekday: local.getUTCDay(), iso: local.toISOString().slice(0, 10) };
}

export function isWorkingDay(at: Date, holidays: ReadonlySet<string> = new Set()): boolean {
	const { weekday, iso } = localDay(at.getTime());
	return weekday !== 0 && weekday !== 6 && !holidays.has(iso);
}

/**
 * Adds `days` working days (may be fractional: 0.5 = half a day) to `from`. Each whole working
 * day moves to the same clock time on the next working day; the fraction is added as hours and
 * rolls over non-working days.
 */
export function addWorkingDays(from: Date, days: number, holidays: ReadonlySet<string> = new Set()): Date {
	if (!(days >= 0) || !Number.isFinite(days)) throw new RangeError(`days must be ≥ 0, got ${days}`);
	let ms = from.getTime();
	const whole = Math.floor(days);
	for (let i = 0; i < whole; i++) {
		do ms += DAY_MS;
		while (!isWorkingDay(new Date(ms), holidays));
	}
	const fraction = days - whole;
	if (fraction > 0) {
		ms += fraction * DAY_MS;
		while (!isWorkingDay(new Date(ms), holidays)) ms += DAY_MS;
	}
	return new Date(ms);
}

/** Start of the local (CST) day containing `at`, as an instant. */
export function startOfLocalDay(at: Date): Date {
	const local = at.getTime() + CST_OFFSET_MS;
	return new Date(local - (local % DAY_MS) - CST_OFFSET_MS);
}

/**
 * "近 N 天" (domain.md): the N Beijing calendar days ending on the day of `at`, that day included,
 * as [00:00 of the first day, 24:00 of the last). The same window on every page and the big screen.
 */
export function lastDays(days: number, at: Date): { from: Date; to: Date } {
	if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a whole number ≥ 1, got ${days}`);
	const to = startOfLocalDay(at).getTime() + DAY_MS;
	return { from: new Date(to - days * DAY_MS), to: new Date(to) };
}

/** A period [from, to) of instants as the first and the last CST date it covers (`to` exclusive). */
export function localDateSpan(from: Date, to: Date): { from: string; to: string } {
	return { from: localDate(from), to: localDate(new Date(to.getTime() - 1)) };
}

/**
 * The whole calendar months within the days [from, to) ('YYYY-MM-DD', `to` excluded): the first day
 * of the first and the first day after the last, or null when no month fits whole. The KPI rollups
 * read whole months from their monthly rows and only the days at either end day by day.
 */
export function wholeMonths(from: string, to: string): { from: string; to: string } | null {
	const [fy, fm, fd] = from.split('-').map(Number);
	const [ty, tm] = to.split('-').map(Number);
	// the first month starting on or after `from`, and the first day of `to`'s month (months
	// before it end on or before `to`)
	const start = fd === 1 ? fy * 12 + fm - 1 : fy * 12 + fm;
	const end = ty * 12 + tm - 1;
	if (start >= end) return null;
	const first = (n: number) => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}-01`;
	return { from: first(start), to: first(end) };
}
