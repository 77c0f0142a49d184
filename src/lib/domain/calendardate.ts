// Date.parse rolls an impossible day over (2026-02-30 becomes 2 March): the open interfaces check
// the written year-month-day itself before they read a time from it.

/** Whether the first 10 characters `YYYY-MM-DD` name a day that exists. */
export function isCalendarDate(raw: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(raw);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.toISOString().slice(0, 10) === `${m[1]}-${m[2]}-${m[3]}`;
}
