// deck.gl layers for the map below street zoom (domain/aggregates.ts): one circle per grid, its
// area the grid's households, with the count inside; badges beside it with the grid's open
// requests (red when some are overdue) and 未销号 hazards. ~600 grids: a few thousand vertices
// where the points were 200 000 – 1 000 000.
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { aggregateLabel, aggregateRadius, aggregateScale, labelsAggregates, type GridAggregate } from '$lib/domain/aggregates';
import type { PointLayer } from '$lib/domain/pointcodec';
import type { Palette } from './theme';

/** A grid's aggregate with its position in display coordinates (moved once, when fetched). */
export interface ShownAggregate extends GridAggregate {
	at: [number, number];
}

/** The id of each aggregate layer, by the point layer it stands for (the label goes with the circle). */
export const AGGREGATE_IDS: Record<PointLayer, string> = { households: 'agg-households', requests: 'agg-requests', hazards: 'agg-hazards' };

/** The grid code behind a picked aggregate layer object, or null when the layer is not an aggregate. */
export function aggregateOf(layerId: string, object: unknown): string | null {
	return layerId.startsWith('agg-') && object && typeof object === 'object' && 'code' in object ? String((object as GridAggregate).code) : null;
}

// digits, the decimal point and 万 only: a tiny font atlas instead of deck.gl's default ASCII set
const CHARACTERS = ' 0123456789.万';
const FONT = 'system-ui, "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif';

export function aggregateLayers(grids: ShownAggregate[], p: Palette, visible: Record<PointLayer, boolean>, show: boolean, zoom: number) {
	const max = grids.reduce((m, g) => Math.max(m, g.households), 0);
	// the district view: small circles and blank badges; closer, circles that hold their count
	const labels = labelsAggregates(zoom);
	const k = aggregateScale(zoom);
	const radius = (g: GridAggregate) => (labels ? aggregateRadius(g.households, max, 8, 24) : aggregateRadius(g.households, max, 2.5, 9) * k);
	const text = (n: number) => (labels ? aggregateLabel(n) : ' ');
	// badges sit on the circle's upper corners, clear of the count in its middle
	const corner = (g: GridAggregate, side: 1 | -1): [number, number] => {
		const r = visible.households ? Math.max(radius(g), labels ? 8 : 4 * k) : 4 * k;
		return [side * r * 0.8, -r * 0.8];
	};
	const households = grids.filter((g) => g.households > 0);
	const requests = grids.filter((g) => g.requests > 0);
	const hazards = grids.filter((g) => g.hazards > 0);
	const badge = {
		characterSet: CHARACTERS,
		fontFamily: FONT,
		fontWeight: 600,
		getSize: labels ? 11 : 5 * k,
		getColor: [255, 255, 255, 255],
		background: true,
		backgroundPadding: labels ? [3, 1] : [2 * k, k],
		backgroundBorderRadius: 6,
		getPosition: (g: ShownAggregate) => g.at,
		pickable: true
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
		new TextLayer<ShownAggregate>({
			...badge,
			id: AGGREGATE_IDS.requests,
			data: requests,
			visible: show && visible.requests,
			getText: (g: ShownAggregate) => text(g.requests),
			getPixelOffset: (g: ShownAggregate) => corner(g, 1),
			getBackgroundColor: (g: ShownAggregate) => (g.overdue > 0 ? p.requestOverdue : p.request),
			updateTriggers: { getBackgroundColor: [p], getPixelOffset: [max, visible.households, labels, k], getText: [labels] }
		} as any),
		new TextLayer<ShownAggregate>({
			...badge,
			id: AGGREGATE_IDS.hazards,
			data: hazards,
			visible: show && visible.hazards,
			getText: (g: ShownAggregate) => text(g.hazards),
			getPixelOffset: (g: ShownAggregate) => corner(g, -1),
			getBackgroundColor: p.hazard,
			updateTriggers: { getBackgroundColor: [p], getPixelOffset: [max, visible.households, labels, k], getText: [labels] }
		} as any)
	];
}
