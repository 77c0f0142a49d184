// The local plane DBSCAN, Gi* distance bands and co-location measure in: its distances against
// the WGS84 geodesic (GeographicLib, Karney 2013) over a district-sized area. domain.md asks for
// at most 0.1 %; the spherical plane it replaced was off by up to 0.34 %.
import { Geodesic } from 'geographiclib-geodesic';
import { describe, expect, it } from 'vitest';
import { projectLocal } from '../../src/lib/domain/dbscan';
import { Random } from '../../src/lib/domain/random';

/** The largest relative error of plane distances for point pairs closer than `maxM` metres. */
function worstError(lonLat: number[], maxM: number): { worst: number; pairs: number } {
	const xy = projectLocal(lonLat);
	const n = lonLat.length / 2;
	let worst = 0, pairs = 0;
	for (let i = 0; i < n; i++) {
		for (let j = i + 1; j < n; j++) {
			const g = Geodesic.WGS84.Inverse(lonLat[2 * i + 1], lonLat[2 * i], lonLat[2 * j + 1], lonLat[2 * j]).s12!;
			if (g > maxM || g < 50) continue;
			const d = Math.hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]);
			worst = Math.max(worst, Math.abs(d - g) / g);
			pairs++;
		}
	}
	return { worst, pairs };
}

describe('the local plane against the WGS84 geodesic', () => {
	// 600 points over 40 × 40 km around the demo district (Changsha, 28.2°N), and a district in the far north
	const area = (lon0: number, lat0: number, seed: number) => {
		const rng = new Random(seed);
		const r = () => rng.next();
		return Array.from({ length: 600 }, () => [lon0 + (r() - 0.5) * 0.4, lat0 + (r() - 0.5) * 0.36]).flat();
	};
	for (const [name, lon0, lat0] of [['清溪区 (28.2°N)', 112.95, 28.2], ['漠河 (52.9°N)', 122.5, 52.9]] as const) {
		it(`${name}: at most 0.1 % for pairs up to 1 500 m and up to 10 km`, () => {
			const pts = area(lon0, lat0, 7);
			for (const maxM of [1500, 10_000]) {
				const { worst, pairs } = worstError(pts, maxM);
				console.log(`[projection] ${name} pairs ≤ ${maxM} m: ${pairs}, worst ${(100 * worst).toFixed(4)} % (goal ≤ 0.1 %)`);
				expect(pairs).toBeGreaterThan(100);
				expect(worst).toBeLessThanOrEqual(0.001);
			}
		});
	}
});
