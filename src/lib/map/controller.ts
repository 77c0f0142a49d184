// The map page's content, browser-only: grids on the MapLibre map that <MapView> made, one deck.gl
// MapboxOverlay (created once, updated with setProps) for households, hazards and open requests.
// Started from MapView's onload, so nothing here runs during SSR. The Svelte component holds UI
// state and calls the setters.
import type { Map as MlMap } from 'maplibre-gl';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import { LAYERS, type PointLayer } from '$lib/domain/pointcodec';
import type { MeasureKey } from '$lib/domain/measures';
import type { BBox } from '$lib/domain/tiles';
import { fromDisplay, fromDisplayBBox, toDisplay, toDisplayBBox, toDisplayFeatures, type DisplayCrs, type LngLat } from '$lib/domain/displayCrs';
import { addGridLayers, applyGridTheme, fillExpression, markScope, setFocus, showMeasure, type GridFeatureCollection } from './gridLayers';
import { pointLayer } from './pointLayers';
import { aggregateLayers, aggregateOf, type ShownAggregate } from './aggregateLayers';
import { aggregateTotals, drawsPoints, pointTileZoom, type AggregatesDoc } from '$lib/domain/aggregates';
import { locate, PointTileSet, type Combined } from './pointTiles';
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
	onStatus: (status: MapStatus) => void;
}

export interface MapStatus {
	loading: boolean;
	/** points loaded, or below street zoom the totals of the grids drawn */
	counts: Record<PointLayer, number>;
	/** below street zoom: per-grid counts are drawn, not points */
	aggregated: boolean;
}

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
	/**
	 * The points each layer was last drawn with: deck.gl's picked index refers to these, and a
	 * set's combined() may already hold newer tiles or another zoom when the tap comes.
	 */
	drawnPoints = {} as Record<PointLayer, Combined>;
	/** per-grid counts drawn below street zoom (null until fetched) */
	aggregates: ShownAggregate[] | null = null;
	private aggregatesLoading: Promise<void> | null = null;
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
		// the grids, their measure and (below street zoom) the per-grid counts are fetched side by
		// side with deck.gl's chunk: one after another they added up to the first view's wait
		const grids = fetchJson<GridFeatureCollection>(`/api/map/grids?v=${this.o.versions.grids}`);
		const stats = this.fetchStats(this.o.measure);
		if (!drawsPoints(map.getZoom())) this.loadAggregates(); // loadPoints below awaits the same fetch
		grids.catch(() => {}); // awaited below, after the import (a failure is thrown there)
		const { MapboxOverlay } = await import('@deck.gl/mapbox');
		// not interleaved: with maplibre-gl 6.17 the interleaved mode throws in deck.gl 9.4's render
		// hook ("reading 'height'") and blanks the map; a separate canvas over the map works
		this.overlay = new MapboxOverlay({ interleaved: false, layers: [] });
		this.map.addControl(this.overlay as any);
		this.scheduleDeck(); // counts that arrived during the import
		if (!offline) await this.addAreaOverlay();
		this.grids = await grids;
		markScope(this.grids, this.o.scope);
		this.shown = toDisplayFeatures(crs, this.grids);
		addGridLayers(this.map, this.shown, PALETTES[this.o.theme], offline ? FIRST_OVER_GRIDS : 'boundary-community');
		this.setGridsVisible(this.o.visible.grids);
		await this.setMeasure(this.o.measure, stats);
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

	/** What the overlay draws at the map's zoom now (the browser tests read it through the test hook). */
	get drawing(): 'points' | 'aggregates' {
		return drawsPoints(this.map.getZoom()) ? 'points' : 'aggregates';
	}

	/** Below street zoom the grids' counts (one small document), from it the point tiles of the view. */
	async loadPoints(): Promise<void> {
		const zoom = this.map.getZoom();
		if (!drawsPoints(zoom)) {
			// a pan below street zoom changes no layer (the switch from points is drawn on zoomend)
			if (!this.aggregates) await this.loadAggregates();
			return;
		}
		const b = this.map.getBounds();
		const bbox: BBox = fromDisplayBBox(this.crs, [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
		const wanted = LAYERS.filter((l) => this.o.visible[l]);
		const z = pointTileZoom(zoom);
		this.report();
		await Promise.all(wanted.map((l) => this.sets[l].load(bbox, z).catch((e) => console.error(e))));
		this.report();
	}

	/** Fetches the per-grid counts (revalidated by ETag: the same document costs a 304). */
	loadAggregates(): Promise<void> {
		this.aggregatesLoading ??= (async () => {
			try {
				const doc = await fetchJson<AggregatesDoc>('/api/map/aggregates');
				this.aggregates = doc.grids.map((g) => ({ ...g, at: toDisplay(this.crs, [g.lon, g.lat]) }));
			} catch (e) {
				console.error(e);
			} finally {
				this.aggregatesLoading = null;
				this.scheduleDeck();
			}
		})();
		this.report();
		return this.aggregatesLoading;
	}

	private report(): void {
		const aggregated = !drawsPoints(this.map.getZoom());
		const counts = aggregated
			? aggregateTotals(this.aggregates ?? [])
			: (Object.fromEntries(LAYERS.map((l) => [l, this.sets[l].combined().count])) as Record<PointLayer, number>);
		const loading = aggregated ? !!this.aggregatesLoading : LAYERS.some((l) => this.sets[l].loading);
		this.o.onStatus({ loading, counts, aggregated });
	}

	private scheduleDeck(): void {
		if (this.frame) return;
		this.frame = requestAnimationFrame(() => {
			this.frame = 0;
			this.updateDeck();
		});
	}

	updateDeck(): void {
		if (!this.overlay) return; // counts that came before deck.gl's chunk: drawn once start() adds the overlay
		const p = PALETTES[this.o.theme];
		const zoom = this.map.getZoom();
		const points = drawsPoints(zoom);
		// both kinds stay in the layer list (hidden ones cost nothing), so deck.gl keeps their buffers across the switch
		this.overlay.setProps({
			layers: [
				...LAYERS.map((l) => pointLayer(l, (this.drawnPoints[l] = this.sets[l].combined()), p, points && this.o.visible[l], zoom)),
				...aggregateLayers(this.aggregates ?? [], p, this.o.visible, !points, zoom)
			]
		});
		this.report();
	}

	/** The grids' figures for one measure (a rejected promise is also marked handled: start awaits it later). */
	private fetchStats(measure: MeasureKey): Promise<GridStatsDoc> {
		const p = fetchJson<GridStatsDoc>(`/api/map/grid-stats?measure=${measure}`);
		p.catch(() => {});
		return p;
	}

	/** Colours the grids by `measure`; `pending` is its figures when already asked for. */
	async setMeasure(measure: MeasureKey, pending?: Promise<GridStatsDoc>): Promise<void> {
		this.o.measure = measure;
		const stats = await (pending ?? this.fetchStats(measure));
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
		// a grid's aggregate circle or badge: that grid's details, as a click on its polygon
		const aggregate = hit?.layer ? aggregateOf(hit.layer.id, hit.object) : null;
		if (aggregate) return this.selectGrid(aggregate);
		if (hit && hit.layer) return this.selectPoint(hit.layer.id as PointLayer, hit.index);
		const grid = this.o.visible.grids ? this.map.queryRenderedFeatures([x, y], { layers: ['grids-fill'] })[0] : undefined;
		if (!grid) return this.o.onSelect(null);
		this.selectGrid(grid.properties.code as string);
	}

	private selectGrid(code: string): void {
		const f = this.grids?.features.find((g) => g.properties.code === code);
		setFocus(this.map, code);
		if (f?.properties.mine === false) return this.o.onSelect({ kind: 'grid', code, name: f.properties.name, outside: true });
		const s = this.stats?.grids.find((g) => g.code === code);
		this.o.onSelect({ kind: 'grid', code, name: f?.properties.name, ...s });
	}

	/** The WGS84 point under a screen point of the map (what a click means, whatever the base map). */
	lngLatAt(x: number, y: number): LngLat {
		const p = this.map.unproject([x, y]);
		return fromDisplay(this.crs, [p.lng, p.lat]);
	}

	async selectPoint(layer: PointLayer, index: number): Promise<void> {
		const drawn = this.drawnPoints[layer] ?? this.sets[layer].combined();
		const at = locate(drawn, index);
		if (!at) return;
		const { z, x, y } = at.tile;
		const res = await fetch(`/api/map/features/${layer}/${z}/${x}/${y}/${at.index}?v=${encodeURIComponent(drawn.version)}`);
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
		await Promise.all([this.setMeasure(this.o.measure), this.loadAggregates(), this.loadPoints()]);
	}

	destroy(): void {
		clearInterval(this.poll);
		cancelAnimationFrame(this.frame);
		this.overlay?.finalize();
		// the map itself belongs to <MapView>, which removes it
	}
}
