// Shapes of the map API documents as the browser reads them, and a fetch that turns the API's
// {error: {message}} into an Error with the Chinese message.
import type { Legend, MeasureKey } from '$lib/domain/measures';

export interface Versions {
	households: string;
	hazards: string;
	requests: string;
	grids: string;
	basemap: string;
}

export interface GridStat {
	code: string;
	value: number | null;
	households: number;
	open: number;
	overdue: number;
	visited90: number;
	hazards: number;
}

export interface GridStatsDoc {
	measure: MeasureKey;
	label: string;
	unit: string;
	legend: Legend;
	generatedAt: string;
	grids: GridStat[];
}

export async function fetchJson<T>(url: string): Promise<T> {
	const res = await fetch(url);
	const body = await res.json().catch(() => null);
	if (!res.ok) throw new Error(body?.error?.message ?? `请求失败：HTTP ${res.status}`);
	return body as T;
}
