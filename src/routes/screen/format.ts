// Number formats for ten metres away: rates with one decimal, never rounded up to 100 (domain/numbers.ts).
import { percentNumber } from '$lib/domain/numbers';

export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : percentNumber(v));

export function delta(value: number | null, prev: number | null): { text: string; dir: 'up' | 'down' | 'flat' } | null {
	if (value === null || prev === null) return null;
	const d = (value - prev) * 100;
	if (Math.abs(d) < 0.05) return { text: '持平', dir: 'flat' };
	return { text: `${Math.abs(d).toFixed(1)}`, dir: d > 0 ? 'up' : 'down' };
}

/** 'HH:MM' in China Standard Time, whatever the display's time zone */
export function hhmm(ms: number, seconds = false): string {
	const d = new Date(ms + 8 * 3600_000);
	const two = (n: number) => String(n).padStart(2, '0');
	return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${seconds ? ':' + two(d.getUTCSeconds()) : ''}`;
}

export const RAG_COLOUR: Record<string, string> = { green: '#3ddc84', amber: '#ffb020', red: '#ff4d5e', none: '#7d8aa3' };
