// Number formats for ten metres away: rates with one decimal, never rounded up to 100 (domain/numbers.ts).
import { percentNumber } from '$lib/domain/numbers';
import { formatCst } from '$lib/domain/time';

export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : percentNumber(v));

export function delta(value: number | null, prev: number | null): { text: string; dir: 'up' | 'down' | 'flat' } | null {
	if (value === null || prev === null) return null;
	const d = (value - prev) * 100;
	if (Math.abs(d) < 0.05) return { text: '持平', dir: 'flat' };
	return { text: `${Math.abs(d).toFixed(1)}`, dir: d > 0 ? 'up' : 'down' };
}

/** 'HH:MM' (or 'HH:MM:SS') in Beijing time, whatever the display's time zone: the one formatter's clock part */
export const hhmm = (ms: number, seconds = false): string => formatCst(ms, seconds).slice(11);

export const RAG_COLOUR: Record<string, string> = { green: '#3ddc84', amber: '#ffb020', red: '#ff4d5e', none: '#7d8aa3' };
