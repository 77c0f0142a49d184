// Travel-time matrices for the visit planner when no road-network service is configured:
// great-circle distance × a detour factor, driven at a constant speed. The assumption is
// returned as a sentence so the itinerary can show it to the leader.

export interface LonLat {
	lon: number;
	lat: number;
}

export interface StraightLineOptions {
	/** road distance ÷ straight-line distance, dimensionless (1.3 is typical for a town grid) */
	detour?: number;
	/** average speed including junctions, km/h */
	speedKmh?: number;
}

export const STRAIGHT_LINE_DEFAULTS: Required<StraightLineOptions> = { detour: 1.3, speedKmh: 30 };

/** A square matrix of minutes (or any unit) and where it came from. */
export interface TravelMatrix {
	/** minutes[i][j]: travel time from point i to point j */
	minutes: number[][];
	/** metres[i][j]: travel distance, when known */
	metres: number[][] | null;
	source: 'osrm' | 'straight_line' | 'given';
	/** shown with the itinerary, in Chinese */
	assumption: string;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function haversineMetres(a: LonLat, b: LonLat): number {
	const dLat = rad(b.lat - a.lat);
	const dLon = rad(b.lon - a.lon);
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function checkLonLat(p: LonLat, field: string): void {
	if (!Number.isFinite(p?.lon) || p.lon < -180 || p.lon > 180) throw new RangeError(`${field}: longitude must be a number in [-180, 180] degrees, got ${p?.lon}`);
	if (!Number.isFinite(p?.lat) || p.lat < -90 || p.lat > 90) throw new RangeError(`${field}: latitude must be a number in [-90, 90] degrees, got ${p?.lat}`);
}

/** Straight-line × detour at a constant speed, minutes between every pair of points. */
export function straightLineMatrix(points: LonLat[], options: StraightLineOptions = {}): TravelMatrix {
	const { detour, speedKmh } = { ...STRAIGHT_LINE_DEFAULTS, ...options };
	if (!(detour >= 1 && detour <= 5)) throw new RangeError(`detour must be in [1, 5], got ${detour}`);
	if (!(speedKmh > 0 && speedKmh <= 200)) throw new RangeError(`speedKmh must be in (0, 200] km/h, got ${speedKmh}`);
	points.forEach((p, i) => checkLonLat(p, `points[${i}]`));
	const metresPerMinute = (speedKmh * 1000) / 60;
	const metres = points.map((a) => points.map((b) => haversineMetres(a, b) * detour));
	return {
		minutes: metres.map((row) => row.map((m) => m / metresPerMinute)),
		metres,
		source: 'straight_line',
		assumption: straightLineAssumption(detour, speedKmh)
	};
}

export function straightLineAssumption(detour: number, speedKmh: number): string {
	return `未配置路网服务：行程时间按直线距离 × 绕行系数 ${detour} ÷ 平均车速 ${speedKmh} km/h 估算，实际用时可能不同`;
}
