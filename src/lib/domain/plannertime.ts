// Clock times of a plan day as minutes after local midnight, and their HH:MM text.

/** 570 → "09:30"; minutes past 24:00 stay on the clock face with a "+1" day mark. */
export function hhmm(min: number): string {
	const m = Math.round(min);
	const day = Math.floor(m / 1440);
	const r = m - day * 1440;
	const text = `${String(Math.floor(r / 60)).padStart(2, '0')}:${String(r % 60).padStart(2, '0')}`;
	return day > 0 ? `${text}+${day}` : text;
}

/** "9:30" or "09:30" → 570; null when the text is not a clock time. */
export function parseHhmm(text: string | null | undefined): number | null {
	const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text ?? '');
	if (!m) return null;
	const h = Number(m[1]);
	const min = Number(m[2]);
	if (h > 23 || min > 59) return null;
	return h * 60 + min;
}

/** 95 → "1小时35分", 40 → "40分钟". */
export function duration(min: number): string {
	const m = Math.round(min);
	if (m < 60) return `${m}分钟`;
	return `${Math.floor(m / 60)}小时${m % 60 ? `${m % 60}分` : ''}`;
}
