// The map a <MapView> made, handed to the components inside it through Svelte context (the
// svelte-maplibre habit): a child layer calls getMapContext() and draws once `loaded` is true.
import { getContext, setContext } from 'svelte';
import type { Map as MlMap } from 'maplibre-gl';
import type { DisplayCrs } from '$lib/domain/displayCrs';

export type MapLibre = typeof import('maplibre-gl');

const KEY = Symbol('map');

export class MapContext {
	/** the MapLibre map, from creation until the view is destroyed */
	map = $state.raw<MlMap | null>(null);
	/** the maplibre-gl module (controls, markers) */
	maplibre = $state.raw<MapLibre | null>(null);
	/** true once the style has loaded: sources and layers may be added */
	loaded = $state(false);
	/** drawn on the offline base map (no configured style, or it was unreachable) */
	offline = $state(true);
	/** the coordinates the map is drawn in (GCJ-02 over Amap/Tencent): see domain/displayCrs.ts */
	crs = $state<DisplayCrs>('wgs84');
}

export function setMapContext(ctx: MapContext): MapContext {
	return setContext(KEY, ctx);
}

/** The enclosing <MapView>'s map; throws outside one. */
export function getMapContext(): MapContext {
	const ctx = getContext<MapContext | undefined>(KEY);
	if (!ctx) throw new Error('getMapContext() outside <MapView>');
	return ctx;
}
