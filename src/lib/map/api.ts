// Shapes of the map API documents as the browser reads them, and a fetch that turns the API's
// {error: {message}} into an Error with the Chinese message.

export type { GridStat, GridStats as GridStatsDoc, Versions } from '$lib/domain/measures';

export async function fetchJson<T>(url: string): Promise<T> {
	const res = await fetch(url);
	const body = await res.json().catch(() => null);
	if (!res.ok) throw new Error(body?.error?.message ?? `请求失败：HTTP ${res.status}`);
	return body as T;
}
