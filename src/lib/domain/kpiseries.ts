// The periods of a KPI trend (/kpi): the selected period cut into Beijing calendar days, weeks
// (Monday to Sunday) or months, whichever gives a readable number of points. Each KPI is counted
// for each of them by the one KPI definition (src/lib/server/kpi), as if that period were chosen.
import { localDate } from './calendar';
import { CST_OFFSET_MS } from './time';

const DAY_MS = 86_400_000;

export type SeriesStep = 'day' | 'week' | 'month' | 'year';

export interface SeriesPeriod {
	from: Date;
	/** exclusive */
	to: Date;
	/** the axis label: 'MM-DD' (a day, a week's first day), 'YYYY-MM', 'YYYY' */
	label: string;
	/** the dates it covers, 'YYYY-MM-DD 至 YYYY-MM-DD' (the table's row header) */
	span: string;
}

/** Up to this many days in days, then weeks up to WEEKS_UP_TO days, then months, then years. */
export const DAYS_UP_TO = 31;
export const WEEKS_UP_TO = 190;
export const MONTHS_UP_TO = 731;

/** The step a period of `days` days is cut into. */
export function seriesStep(days: number): SeriesStep {
	return days <= DAYS_UP_TO ? 'day' : days <= WEEKS_UP_TO ? 'week' : days <= MONTHS_UP_TO ? 'month' : 'year';
}

/** The Beijing local midnight after `at`'s period of `step` starts (`at` a local midnight). */
function nextBoundary(at: number, step: SeriesStep): number {
	if (step === 'day') return at + DAY_MS;
	const local = new Date(at + CST_OFFSET_MS);
	if (step === 'week') {
		// getUTCDay of the shifted instant is the Beijing weekday; weeks start on Monday
		const sinceMonday = (local.getUTCDay() + 6) % 7;
		return at + (7 - sinceMonday) * DAY_MS;
	}
	const y = local.getUTCFullYear(), m = local.getUTCMonth();
	const next = step === 'month' ? Date.UTC(y, m + 1, 1) : Date.UTC(y + 1, 0, 1);
	return next - CST_OFFSET_MS;
}

/**
 * [from, to) (Beijing midnights, as parseRequestFilter makes them) cut at the step's boundaries;
 * the first and last pieces may be shorter (a week that starts mid-period). Pieces that start
 * after `now` are left out: nothing has happened in them yet.
 */
export function seriesPeriods(from: Date, to: Date, now: Date = new Date()): { step: SeriesStep; periods: SeriesPeriod[] } {
	const step = seriesStep(Math.round((to.getTime() - from.getTime()) / DAY_MS));
	return { step, periods: cutPeriods(from, to, step, now) };
}

/** [from, to) cut at the boundaries of a chosen `step` (a worker's trend is always by week), as seriesPeriods does. */
export function cutPeriods(from: Date, to: Date, step: SeriesStep, now: Date = new Date()): SeriesPeriod[] {
	const periods: SeriesPeriod[] = [];
	for (let a = from.getTime(); a < to.getTime() && a <= now.getTime(); ) {
		const b = Math.min(nextBoundary(a, step), to.getTime());
		const first = localDate(new Date(a)), last = localDate(new Date(b - 1));
		const label = step === 'month' ? first.slice(0, 7) : step === 'year' ? first.slice(0, 4) : first.slice(5);
		periods.push({ from: new Date(a), to: new Date(b), label, span: first === last ? first : `${first} 至 ${last}` });
		a = b;
	}
	return periods;
}
