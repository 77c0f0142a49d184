// The map page's content, browser-only: grids on the MapLibre map that <MapView> made, one deck.gl
// MapboxOverlay (created once, updated with setProps) for households, hazards and open requests.
// Started from MapView's onload, so nothing here runs during SSR. The Svelte component holds UI
// state and calls the setters.
import type { Map as MlMap } from 'maplibre-gl';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import { LAYERS, type PointLayer } from '$lib/domain/pointcodec';
import type { MeasureKey } from '$lib/domain/measures';
import type { BBox } from '$lib/domain/tiles';
import { fromDisplay, fromDisplayBBox, toDisplayBBox, toDisplayFeatures, type DisplayCrs, type LngLat } from '$lib/domain/displayCrs';
import { addGridLayers, applyGridTheme, fillExpression, markScope, setFocus, showMeasure, type GridFeatureCollection } from './gridLayers';
import { pointLayer } from './pointLayers';
import { locate, PointTileSet } from './pointTiles';
import { boundaryLayers, BASEMAP_SOURCE, FIRST_OVER_GRIDS, labelLayers, themePaint } from './style';
import { PALETTES, type Theme } from './theme';
import { fetchJson, type GridStatsDoc, type Versions } from './api';

export type Visible = Record<'grids' | PointLayer, boolean>;

export interface MapOptions {
	versions: Versions;
	theme: Theme;
	measure: MeasureKey;
	visible: Visible;
	/** the grids in the user's scope (null: all); the others are drawn dimmed, without a measure */
	scope: readonly string[] | null;
	onSelect: (detail: Record<string, unknown> | null) => void;
	onStats: (stats: GridStatsDoc) => void;
	onStatus: (status: { loading: boolean; counts: Record<PointLayer, number> }) => void;
}

/** Point layers are fetched from this map zoom up: below it a tile could hold a whole city. */
const MIN_POINT_ZOOM = 10;

export class MapController {
	map!: MlMap;
	overlay!: MapboxOverlay;
	/** the grids as stored (WGS84): bboxes for search and focus are taken from these */
	grids: GridFeatureCollection | null = null;
	/** the grids as drawn (display coordinates; the same properties objects as `grids`) */
	shown: GridFeatureCollection | null = null;
	/** the coordinates the map is drawn in; every point read off the map goes back through fromDisplay */
	crs: DisplayCrs = 'wgs84';
	/** the last click on the map, in WGS84 */
	lastClick: LngLat | null = null;
	stats: GridStatsDoc | null = null;
	sets: Record<PointLayer, PointTileSet>;
	private offline = true;
	private frame = 0;
	private poll: ReturnType<typeof setInterval> | undefined;

	constructor(private o: MapOptions) {
		const changed = () => this.scheduleDeck();
		this.sets = Object.fromEntries(LAYERS.map((l) => [l, new PointTileSet(l, changed)])) as Record<PointLayer, PointTileSet>;
		for (const l of LAYERS) this.sets[l].setVersion(o.versions[l]);
	}

	/** Draws into a loaded map from <MapView> (which made it, on `offline` or a configured style, drawn in `crs`). */
	async start(map: MlMap, offline: boolean, crs: DisplayCrs = 'wgs84'): Promise<void> {
		this.map = map;
		this.offline = offline;
		this.crs = crs;
		for (const l of LAYERS) this.sets[l].crs = crs;
		const { MapboxOverlay } = await import('@deck.gl/mapbox');
		// not interleaved: with maplibre-gl 6.17 the interleaved mode throws in deck.gl 9.4's render
		// hook ("reading 'height'") and blanks the map; a separate canvas over the map works
		this.overlay = new MapboxOverlay({ interleaved: false, layers: [] });
		this.map.addControl(this.overlay as any);
		if (!offline) await this.addAreaOverlay();
		this.grids = await fetchJson<GridFeatureCollection>(`/api/map/grids?v=${this.o.versions.grids}`);
		markScope(this.grids, this.o.scope);
		this.shown = toDisplayFeatures(crs, this.grids);
		addGridLayers(this.map, this.shown, PALETTES[this.o.theme], offline ? FIRST_OVER_GRIDS : 'boundary-community');
		this.setGridsVisible(this.o.visible.grids);
		await this.setMeasure(this.o.measure);
		this.map.on('moveend', () => this.loadPoints());
		this.map.on('zoomend', () => this.scheduleDeck()); // marker size and the minimum zoom for points
		this.map.on('click', (e) => this.click(e.point.x, e.point.y));
		await this.loadPoints();
		// overdue flags and 90-day visit classes age with the clock, and others write: re-check versions
		this.poll = setInterval(() => this.refreshVersions().catch(() => {}), 5 * 60_000);
	}

	/** Over a configured style: our area boundaries and labels from the base-map document. */
	private async addAreaOverlay(): Promise<void> {
		const p = PALETTES[this.o.theme];
		const url = `/api/map/basemap?v=${this.o.versions.basemap}`;
		// WGS84: MapLibre fetches the document itself; GCJ-02: fetched here and moved for display
		const data = this.crs === 'wgs84' ? url : toDisplayFeatures(this.crs, await fetchJson<GridFeatureCollection>(url));
		this.map.addSource(BASEMAP_SOURCE, { type: 'geojson', data: data as any });
		for (const layer of [...boundaryLayers(p), ...labelLayers(p, false)]) this.map.addLayer(layer);
	}

	async loadPoints(): Promise<void> {
		if (this.map.getZoom() < MIN_POINT_ZOOM) return this.scheduleDeck();
		const b = this.map.getBounds();
		const bbox: BBox = fromDisplayBBox(this.crs, [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
		const wanted = LAYERS.filter((l) => this.o.visible[l]);
		this.report();
		await Promise.all(wanted.map((l) => this.sets[l].load(bbox).catch((e) => console.error(e))));
		this.report();
	}

	private report(): void {
		const counts = Object.fromEntries(LAYERS.map((l) => [l, this.sets[l].combined().count])) as Record<PointLayer, number>;
		this.o.onStatus({ loading: LAYERS.some((l) => this.sets[l].loading), counts });
	}

	private scheduleDeck(): void {
		if (this.frame) return;
		this.frame = requestAnimationFrame(() => {
			this.frame = 0;
			this.updateDeck();
		});
	}

	updateDeck(): void {
		const p = PALETTES[this.o.theme];
		const show = this.map.getZoom() >= MIN_POINT_ZOOM;
		const zoom = this.map.getZoom();
		this.overlay.setProps({ layers: LAYERS.map((l) => pointLayer(l, this.sets[l].combined(), p, show && this.o.visible[l], zoom)) });
		this.report();
	}

	async setMeasure(measure: MeasureKey): Promise<void> {
		this.o.measure = measure;
		const stats = await fetchJson<GridStatsDoc>(`/api/map/grid-stats?measure=${measure}`);
		if (this.o.measure !== measure || !this.grids) return; // a later choice won
		this.stats = stats;
		showMeasure(this.map, this.shown ?? this.grids, new Map(stats.grids.map((g) => [g.code, g.value])), stats.legend, PALETTES[this.o.theme].gridOutside);
		this.o.onStats(stats);
	}

	setTheme(theme: Theme): void {
		this.o.theme = theme;
		for (const [id, paint] of Object.entries(themePaint(theme, this.offline))) {
			if (!this.map.getLayer(id)) continue;
			for (const [prop, value] of Object.entries(paint)) this.map.setPaintProperty(id, prop as any, value);
		}
		applyGridTheme(this.map, PALETTES[theme]);
		if (this.stats) this.map.setPaintProperty('grids-fill', 'fill-color', fillExpression(this.stats.legend, PALETTES[theme].gridOutside));
		this.updateDeck();
	}

	setVisible(visible: Visible): void {
		this.o.visible = { ...visible };
		this.setGridsVisible(visible.grids);
		this.updateDeck();
		this.loadPoints();
	}

	private setGridsVisible(on: boolean): void {
		for (const id of ['grids-fill', 'grids-line', 'grids-label']) this.map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
	}

	focus(code: string, bbox: BBox): void {
		setFocus(this.map, code);
		this.map.fitBounds(toDisplayBBox(this.crs, bbox), { padding: 60, maxZoom: 17, duration: 600 });
	}

	/** Point under the cursor first (deck.gl picking), else the grid polygon. */
	private async click(x: number, y: number): Promise<void> {
		this.lastClick = this.lngLatAt(x, y);
		const hit = this.overlay.pickObject({ x, y, radius: 5 });
		if (hit && hit.layer) return this.selectPoint(hit.layer.id as PointLayer, hit.index);
		const grid = this.o.visible.grids ? this.map.queryRenderedFeatures([x, y], { layers: ['grids-fill'] })[0] : undefined;
		if (!grid) return this.o.onSelect(null);
		const code = grid.properties.code as string;
		setFocus(this.map, code);
		if (grid.properties.mine === false) return this.o.onSelect({ kind: 'grid', code, name: grid.properties.name, outside: true });
		const s = this.stats?.grids.find((g) => g.code === code);
		this.o.onSelect({ kind: 'grid', code, name: grid.properties.name, ...s });
	}

	/** The WGS84 point under a screen point of the map (what a click means, whatever the base map). */
	lngLatAt(x: number, y: number): LngLat {
		const p = this.map.unproject([x, y]);
		return fromDisplay(this.crs, [p.lng, p.lat]);
	}

	async selectPoint(layer: PointLayer, index: number): Promise<void> {
		const set = this.sets[layer];
		const at = locate(set.combined(), index);
		if (!at) return;
		const { z, x, y } = at.tile;
		const res = await fetch(`/api/map/features/${layer}/${z}/${x}/${y}/${at.index}?v=${encodeURIComponent(set.version)}`);
		const body = await res.json();
		if (res.status === 409) await this.refreshVersions();
		this.o.onSelect(res.ok ? body : { kind: 'error', message: body?.error?.message ?? `HTTP ${res.status}` });
	}

	/** New data versions (someone wrote): drop stale tiles and fetch again. */
	async refreshVersions(): Promise<void> {
		const { versions } = await fetchJson<{ versions: Versions }>('/api/map/meta');
		for (const l of LAYERS) this.sets[l].setVersion(versions[l]);
		this.o.versions = versions;
		this.scheduleDeck();
		await Promise.all([this.setMeasure(this.o.measure), this.loadPoints()]);
	}

	destroy(): void {
		clearInterval(this.poll);
		cancelAnimationFrame(this.frame);
		this.overlay?.finalize();
		// the map itself belongs to <MapView>, which removes it
	}
}
