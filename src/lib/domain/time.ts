// Beijing time (UTC+8, no daylight saving) for every time shown or exchanged (domain.md): pages
// show 'YYYY-MM-DD HH:mm', APIs and files carry RFC 3339 with '+08:00'. One helper, whatever the
// server's or the browser's own time zone is.

/** Beijing is UTC+8 all year: the one offset every Beijing-time helper uses. */
export const CST_OFFSET_MS = 8 * 3600_000;

type When = Date | string | number;
const instant = (at: When) => (at instanceof Date ? at : new Date(at));
const shifted = (at: When) => new Date(instant(at).getTime() + CST_OFFSET_MS).toISOString();

/** 'YYYY-MM-DD HH:mm' in Beijing time, the way a district office writes a time ('…:ss' with seconds). */
export function formatCst(at: When, seconds = false): string {
	return shifted(at).slice(0, seconds ? 19 : 16).replace('T', ' ');
}

/** RFC 3339 in Beijing time: '2026-11-30T07:30:00+08:00' (milliseconds kept when there are any). */
export function isoCst(at: When): string {
	const s = shifted(at);
	const ms = s.slice(19, 23);
	return `${s.slice(0, 19)}${ms === '.000' ? '' : ms}+08:00`;
}

/** isoCst for a value that may be missing. */
export const isoCstOrNull = (at: When | null | undefined): string | null => (at === null || at === undefined ? null : isoCst(at));

/** 'YYYY-MM-DD': the Beijing calendar day an instant falls on. */
export function localDate(at: When): string {
	return shifted(at).slice(0, 10);
}
