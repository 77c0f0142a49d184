import { describe, expect, it } from 'vitest';
import { canonicalLabels, dbscan, projectLocal } from '../../src/lib/domain/dbscan';

// brute force DBSCAN with the documented rules, for comparison on random points
function naive(xy: Float64Array, eps: number, minPoints: number): Int32Array {
	const n = xy.length / 2;
	const near = (i: number) => [...Array(n).keys()].filter((j) => (xy[2 * i] - xy[2 * j]) ** 2 + (xy[2 * i + 1] - xy[2 * j + 1]) ** 2 <= eps * eps);
	const core = [...Array(n).keys()].map((i) => near(i).length >= minPoints);
	const label = new Array<number>(n).fill(-1);
	let id = 0;
	for (let i = 0; i < n; i++) {
		if (!core[i] || label[i] >= 0) continue;
		const stack = [i];
		label[i] = id;
		while (stack.length) for (const j of near(stack.pop()!)) if (core[j] && label[j] < 0) { label[j] = id; stack.push(j); }
		id++;
	}
	for (let i = 0; i < n; i++) if (!core[i]) { const c = near(i).filter((j) => core[j]); label[i] = c.length ? label[Math.min(...c)] : -1; }
	return canonicalLabels(label);
}

describe('dbscan', () => {
	it('labels a hand-drawn case exactly (metres)', () => {
		// two dense groups 10 m apart inside, 500 m between; a border point, a lone point
		const xy = Float64Array.from([0, 0, 10, 0, 0, 10, 10, 10, 500, 0, 510, 0, 505, 8, 25, 0, 2000, 2000]);
		const r = dbscan(xy, { eps: 15, minPoints: 3 });
		expect([...r.labels]).toEqual([0, 0, 0, 0, 1, 1, 1, 0, -1]);
		expect([...r.core]).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0]);
		expect(r.clusters).toBe(2);
	});

	it('gives a border point between two clusters to the lowest-indexed core point (PostGIS rule)', () => {
		// point 6 at x=20 (3 neighbours: border) is 10 m from core 2 (x=10) and from core 3 (x=30)
		const xy = Float64Array.from([0, 0, 5, 0, 10, 0, 30, 0, 35, 0, 40, 0, 20, 0]);
		expect([...dbscan(xy, { eps: 10, minPoints: 4 }).labels]).toEqual([0, 0, 0, 1, 1, 1, 0]);
		const swapped = Float64Array.from([30, 0, 35, 0, 40, 0, 0, 0, 5, 0, 10, 0, 20, 0]);
		expect([...dbscan(swapped, { eps: 10, minPoints: 4 }).labels]).toEqual([0, 0, 0, 1, 1, 1, 0]);
	});

	it('agrees with brute force on 2 000 random points', () => {
		let s = 7;
		const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
		const xy = new Float64Array(4000);
		for (let i = 0; i < 2000; i++) {
			const c = i % 7;
			xy[2 * i] = c * 300 + rnd() * (c < 4 ? 120 : 900);
			xy[2 * i + 1] = rnd() * (c < 4 ? 120 : 900);
		}
		for (const [eps, minPoints] of [[8, 4], [15, 6], [30, 20]]) {
			expect(dbscan(xy, { eps, minPoints }).labels).toEqual(naive(xy, eps, minPoints));
		}
	});

	it('projects lon/lat to metres on WGS84: 0.001° of latitude at 28.23°N is 110.82 m, of longitude 98.15 m', () => {
		// the geodesic lengths (GeographicLib): 110.823 m north, 98.152 m east; the sphere said 111.195
		const xy = projectLocal([112.95, 28.23, 112.95, 28.231, 112.951, 28.23]);
		expect(xy[3] - xy[1]).toBeCloseTo(110.823, 2);
		expect(Math.hypot(xy[4] - xy[0], xy[5] - xy[1])).toBeCloseTo(98.152, 2);
	});

	it('refuses bad options with exact messages', () => {
		expect(() => dbscan(new Float64Array(2), { eps: 0 })).toThrow('dbscan: eps must be a positive number of metres, got 0');
		expect(() => dbscan(new Float64Array(2), { minPoints: 1.5 })).toThrow('dbscan: minPoints must be an integer ≥ 1, got 1.5');
		expect(() => dbscan(Float64Array.from([0, NaN]))).toThrow('dbscan: coordinate 0 is not finite');
	});
});
