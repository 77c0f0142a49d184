// deck.gl layers for the map below street zoom (domain/aggregates.ts): one circle per grid, its
// area the grid's households, with the count inside; badges beside it with the grid's open
// requests (red when some are overdue) and 未销号 hazards, dots at the district view and tags with
// their counts from LABEL_ZOOM. ~600 grids: a few thousand vertices
// where the points were 200 000 – 1 000 000.
import { IconLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { aggregateLabel, aggregateRadius, aggregateScale, labelsAggregates, type GridAggregate } from '$lib/domain/aggregates';
import type { PointLayer } from '$lib/domain/pointcodec';
import type { Palette } from './theme';

/** A grid's aggregate with its position in display coordinates (moved once, when fetched). */
export interface ShownAggregate extends GridAggregate {
	at: [number, number];
}

/**
 * The id of each aggregate layer, by the point layer it stands for: the households' circle (its
 * label `-label`), the badges' `-dot` and `-count` layers (deck.gl picks by id prefix).
 */
export const AGGREGATE_IDS: Record<PointLayer, string> = { households: 'agg-households', requests: 'agg-requests', hazards: 'agg-hazards' };

/** The grid code behind a picked aggregate layer object, or null when the layer is not an aggregate. */
export function aggregateOf(layerId: string, object: unknown): string | null {
	return layerId.startsWith('agg-') && object && typeof object === 'object' && 'code' in object ? String((object as GridAggregate).code) : null;
}

// digits, the decimal point and 万 only: a tiny font atlas instead of deck.gl's default ASCII set
const CHARACTERS = ' 0123456789.万';
const FONT = 'system-ui, "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif';

/** The grids each layer draws, kept per aggregates document. */
interface Split {
	households: ShownAggregate[];
	requests: ShownAggregate[];
	hazards: ShownAggregate[];
	/** the most households in one grid: the circles' scale */
	max: number;
}
const splits = new WeakMap<ShownAggregate[], Split>();

/**
 * The same arrays for the same document: deck.gl compares `data` by reference, so fresh arrays
 * would recompute every badge's attributes on each rebuild of the layer list (a zoom, the theme,
 * a layer toggled), not only when the counts change.
 */
function split(grids: ShownAggregate[]): Split {
	let s = splits.get(grids);
	if (!s) {
		s = { households: grids.filter((g) => g.households > 0), requests: grids.filter((g) => g.requests > 0), hazards: grids.filter((g) => g.hazards > 0),
			max: grids.reduce((m, g) => Math.max(m, g.households), 0) };
		splits.set(grids, s);
	}
	return s;
}

/**
 * A white disc for the badges' dots, drawn once on a canvas (a mask: deck.gl tints it with each
 * badge's colour). Synchronous, so the dots are drawn in the same frame as the circles.
 */
let disc: { atlas: HTMLCanvasElement; mapping: Record<string, { x: number; y: number; width: number; height: number; mask: true }> } | null = null;
function badgeDisc() {
	if (disc) return disc;
	const size = 32;
	const atlas = document.createElement('canvas');
	atlas.width = atlas.height = size;
	const ctx = atlas.getContext('2d')!;
	ctx.fillStyle = '#fff';
	ctx.beginPath();
	ctx.arc(size / 2, size / 2, size / 2 - 1, 0, 2 * Math.PI);
	ctx.fill();
	disc = { atlas, mapping: { dot: { x: 0, y: 0, width: size, height: size, mask: true } } };
	return disc;
}

export function aggregateLayers(grids: ShownAggregate[], p: Palette, visible: Record<PointLayer, boolean>, show: boolean, zoom: number) {
	// the district view: small circles and coloured dots; closer, circles and badges that hold their count
	const labels = labelsAggregates(zoom);
	const k = aggregateScale(zoom);
	const { households, requests, hazards, max } = split(grids);
	const radius = (g: GridAggregate) => (labels ? aggregateRadius(g.households, max, 8, 24) : aggregateRadius(g.households, max, 2.5, 9) * k);
	// badges sit on the circle's upper corners, clear of the count in its middle
	const corner = (g: GridAggregate, side: 1 | -1): [number, number] => {
		const r = visible.households ? Math.max(radius(g), labels ? 8 : 4 * k) : 4 * k;
		return [side * r * 0.8, -r * 0.8];
	};
	/**
	 * One kind of badge as two layers, one shown: below LABEL_ZOOM a dot (one textured quad per
	 * grid), from it the count on a coloured tag. Counts nobody can read at the district view cost
	 * a text layer's two instanced passes: 1.5–1.9× the near-empty map's pan frame time with ~580
	 * badges at 1 000 000 households, in software WebGL.
	 */
	const badge = (id: string, data: ShownAggregate[], on: boolean, side: 1 | -1, count: (g: ShownAggregate) => number, color: (g: ShownAggregate) => number[]) => {
		const triggers = [max, visible.households, labels, k];
		const dot = badgeDisc();
		return [
			new IconLayer<ShownAggregate>({
				id: `${id}-dot`,
				data,
				visible: show && on && !labels,
				pickable: true,
				iconAtlas: dot.atlas as any,
				iconMapping: dot.mapping,
				getIcon: () => 'dot',
				sizeUnits: 'pixels',
				getSize: 7 * k,
				getPosition: (g) => g.at,
				getPixelOffset: (g) => corner(g, side),
				getColor: color as any,
				updateTriggers: { getColor: [p], getPixelOffset: triggers }
			}),
			new TextLayer<ShownAggregate>({
				id: `${id}-count`,
				data,
				visible: show && on && labels,
				pickable: true,
				characterSet: CHARACTERS,
				fontFamily: FONT,
				fontWeight: 600,
				getSize: 11,
				getColor: [255, 255, 255, 255],
				background: true,
				backgroundPadding: [3, 1],
				backgroundBorderRadius: 6,
				getPosition: (g) => g.at,
				getText: (g) => aggregateLabel(count(g)),
				getPixelOffset: (g) => corner(g, side),
				getBackgroundColor: color as any,
				updateTriggers: { getBackgroundColor: [p], getPixelOffset: triggers }
			})
		];
	};
	return [
		new ScatterplotLayer<ShownAggregate>({
			id: AGGREGATE_IDS.households,
			data: households,
			visible: show && visible.households,
			pickable: true,
			radiusUnits: 'pixels',
			getPosition: (g) => g.at,
			getRadius: radius,
			getFillColor: [p.household[0], p.household[1], p.household[2], 150],
			stroked: true,
			getLineColor: [255, 255, 255, 220],
			lineWidthUnits: 'pixels',
			getLineWidth: 1,
			updateTriggers: { getRadius: [max, labels, k], getFillColor: [p] }
		}),
		new TextLayer<ShownAggregate>({
			id: `${AGGREGATE_IDS.households}-label`,
			data: households,
			visible: show && visible.households && labels,
			characterSet: CHARACTERS,
			fontFamily: FONT,
			fontWeight: 600,
			getPosition: (g) => g.at,
			getText: (g) => aggregateLabel(g.households),
			getSize: 11,
			getColor: [20, 28, 40, 255],
			outlineWidth: 2,
			outlineColor: [255, 255, 255, 230],
			fontSettings: { sdf: true },
			updateTriggers: { getText: [max] }
		}),
		...badge(AGGREGATE_IDS.requests, requests, visible.requests, 1, (g) => g.requests, (g) => (g.overdue > 0 ? p.requestOverdue : p.request)),
		...badge(AGGREGATE_IDS.hazards, hazards, visible.hazards, -1, (g) => g.hazards, () => p.hazard)
	];
}
