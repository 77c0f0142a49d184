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

/** The offline base map's URL at the current data version (from /api/map/meta). */
export async function basemapUrl(): Promise<string> {
	const meta = await fetch('/api/map/meta').then((r) => r.json()).catch(() => null);
	return `/api/map/basemap?v=${meta?.versions?.basemap ?? ''}`;
}
