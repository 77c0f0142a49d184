// Loading MapLibre once per page: the module, and the worker URL it cannot find by itself
// (MapLibre looks for its worker next to its own module, which bundling breaks, so the emitted
// file is named here). Browser-only; called from <MapView> after mount.
import type { MapLibre } from './context.svelte';

let loading: Promise<MapLibre> | null = null;

export function loadMapLibre(): Promise<MapLibre> {
	loading ??= Promise.all([
		import('maplibre-gl'),
		// @ts-ignore: Vite's ?url import
		import('maplibre-gl/dist/maplibre-gl-worker.mjs?url')
	]).then(([ml, worker]) => {
		ml.setWorkerUrl(worker.default);
		return ml;
	});
	loading.catch(() => (loading = null));
	return loading;
}

/** Whether a configured style answers within `ms`; an unreachable one would leave the map blank. */
export async function reachable(url: string, ms = 5000): Promise<boolean> {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(ms) });
		return res.ok;
	} catch {
		return false;
	}
}

/** The offline base map's document and building tiles at the current data versions (from /api/map/meta). */
export async function offlineSources(): Promise<{ basemap: string; buildings: string }> {
	const meta = await fetch('/api/map/meta').then((r) => r.json()).catch(() => null);
	return { basemap: `/api/map/basemap?v=${meta?.versions?.basemap ?? ''}`, buildings: buildingTilesUrl(meta?.versions?.buildings) };
}

/**
 * The building tiles' URL template. Absolute, since MapLibre's worker fetches it; without a
 * version (a page that named its own base map) the tiles are revalidated by ETag instead of kept.
 */
export function buildingTilesUrl(version?: string): string {
	const v = version ? `?v=${encodeURIComponent(version)}` : '';
	return `${location.origin}/api/map/buildings/{z}/{x}/{y}${v}`;
}
