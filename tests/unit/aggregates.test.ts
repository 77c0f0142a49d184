// The map's zoom rules (domain/aggregates.ts): aggregates below street zoom, points from it; the
// tile zoom that follows the view; circle sizes and labels.
import { describe, expect, it } from 'vitest';
import { aggregateLabel, aggregateRadius, aggregateScale, aggregateTotals, drawsPoints, pointTileZoom, STREET_ZOOM } from '../../src/lib/domain/aggregates';
import { MAX_TILE_ZOOM, POINT_TILE_ZOOM } from '../../src/lib/domain/tiles';

describe('map zoom rules', () => {
	it('draws per-grid aggregates below street zoom and points from it', () => {
		expect(STREET_ZOOM).toBe(14);
		expect(drawsPoints(11.2)).toBe(false);
		expect(drawsPoints(13.99)).toBe(false);
		expect(drawsPoints(14)).toBe(true);
		expect(drawsPoints(18)).toBe(true);
	});

	it('fetches point tiles at the map’s zoom rounded, one finer, within the zooms the endpoint serves', () => {
		expect(pointTileZoom(14)).toBe(15);
		expect(pointTileZoom(14.4)).toBe(15);
		expect(pointTileZoom(14.6)).toBe(16);
		expect(pointTileZoom(15.2)).toBe(16);
		expect(pointTileZoom(16.8)).toBe(18);
		expect(pointTileZoom(19)).toBe(MAX_TILE_ZOOM);
		expect(pointTileZoom(9)).toBe(POINT_TILE_ZOOM);
	});

	it('sizes circles by area: four times the count, twice the added width', () => {
		expect(aggregateRadius(0, 100)).toBe(0);
		expect(aggregateRadius(100, 100)).toBe(26);
		expect(aggregateRadius(400, 100)).toBe(26); // never beyond the largest
		const [a, b] = [aggregateRadius(25, 100) - 6, aggregateRadius(100, 100) - 6];
		expect(b / a).toBeCloseTo(2);
	});

	it('labels counts short enough for a circle and sums a document', () => {
		expect(aggregateLabel(987)).toBe('987');
		expect(aggregateLabel(12_345)).toBe('1.2万');
		expect(aggregateLabel(123_456)).toBe('12万');
		const g = { code: 'x', lon: 0, lat: 0, overdue: 0 };
		expect(aggregateTotals([{ ...g, households: 3, requests: 1, hazards: 0 }, { ...g, households: 4, requests: 2, hazards: 5 }])).toEqual({ households: 7, requests: 3, hazards: 5 });
	});
});

describe('aggregate labels by zoom', () => {
	it('prints counts only from the label zoom, below street zoom', async () => {
		const { LABEL_ZOOM, labelsAggregates } = await import('../../src/lib/domain/aggregates');
		expect(LABEL_ZOOM).toBeLessThan(STREET_ZOOM);
		expect(labelsAggregates(11)).toBe(false);
		expect(labelsAggregates(13)).toBe(true);
	});
});

describe('aggregateScale', () => {
	it('keeps the marks at the desk district view and closer, halves them a zoom step out, never below 0.4', () => {
		expect(aggregateScale(11)).toBe(1);
		expect(aggregateScale(13)).toBe(1);
		expect(aggregateScale(10)).toBe(0.5);
		expect(aggregateScale(10.5)).toBeCloseTo(Math.SQRT1_2, 10);
		expect(aggregateScale(8)).toBe(0.4);
	});
});
