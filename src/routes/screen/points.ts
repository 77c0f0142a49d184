// Live dots on the screen's map: what each event kind looks like and how a new one pulses.

export interface LivePoint {
	id: number;
	lon: number;
	lat: number;
	kind: string;
	/** when it arrived on this screen (ms) */
	born: number;
}

export const KIND_COLOUR: Record<string, string> = {
	request: '#36d6ff',
	status: '#3ddc84',
	whistle: '#ffb020',
	checkin: '#ffd166',
	hazard: '#d678ff'
};

const PULSE_MS = 6000;

/** GeoJSON of the points at time `now`: a ring that grows and fades for 6 s, then a steady dot. */
export function pulseFeatures(points: readonly LivePoint[], now: number) {
	return {
		type: 'FeatureCollection' as const,
		features: points.map((p) => {
			const age = Math.max(0, now - p.born);
			const t = Math.min(1, age / PULSE_MS);
			return {
				type: 'Feature' as const,
				properties: {
					id: p.id,
					colour: KIND_COLOUR[p.kind] ?? '#ffffff',
					radius: age < PULSE_MS ? 11 : 7,
					ring: 12 + 38 * t,
					ringOpacity: age < PULSE_MS ? 1 - t : 0
				},
				geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] }
			};
		})
	};
}
