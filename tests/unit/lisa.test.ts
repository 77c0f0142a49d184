import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { giStar, weightsFromNeighbours } from '../../src/lib/domain/gistar';
import { LISA_LABEL, lisaLabel, localMoran } from '../../src/lib/domain/lisa';

// The reference: PySAL esda's Moran_Local on the same values and neighbour lists, row-standardised
// (tests/fixtures/lisa/generate.py wrote it; its header says how to run it again).
interface Case {
	name: string; values: number[]; neighbours: number[][]; permutations: number;
	Is: number[]; q: number[]; EI: number[]; VI: number[]; EIc: number[]; VIc: number[]; EI_sim: number[]; seI_sim: number[];
}
const ref: { source: string; cases: Case[] } = JSON.parse(readFileSync(new URL('../fixtures/lisa/esda.json', import.meta.url), 'utf8'));

/** |a − b| ≤ 1e-9 on the figure's own scale (absolute below 1) */
function close(actual: ArrayLike<number>, expected: number[], what: string) {
	expect(actual.length, what).toBe(expected.length);
	for (let i = 0; i < expected.length; i++) {
		const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
		if (!(err <= 1e-9)) throw new Error(`${what}[${i}]: ${actual[i]} against esda's ${expected[i]} (error ${err})`);
	}
}

describe("Local Moran's I against PySAL esda", () => {
	it('names its reference', () => expect(ref.source).toMatch(/^PySAL esda v2\.\d+\.\d+/));

	for (const c of ref.cases) {
		it(`${c.name} (n = ${c.values.length}): Is, quadrants and the analytical moments to 1e-9`, () => {
			const r = localMoran(c.values, weightsFromNeighbours(c.neighbours));
			close(r.I, c.Is, 'Is');
			expect([...r.quadrant]).toEqual(c.q);
			close(r.EI, c.EI, 'EI');
			close(r.VI, c.VI, 'VI');
			close(r.EIc, c.EIc, 'EIc');
			close(r.VIc, c.VIc, 'VIc');
		});
	}

	// The analytical test is only as good as its scale: E and Var of I under conditional
	// randomisation, taken to esda's I scale (× (n − 1)/n), must be what esda's own permutations
	// find. Ten areas make that scale an 11 % difference, far beyond 99 999 permutations' noise.
	it('the analytical conditional moments are the permutation moments esda simulates', () => {
		const c = ref.cases.find((x) => x.name === 'small10')!;
		const n = c.values.length;
		const r = localMoran(c.values, weightsFromNeighbours(c.neighbours));
		for (let i = 0; i < n; i++) {
			const mean = (r.EIc[i] * (n - 1)) / n;
			const sd = (Math.sqrt(r.VIc[i]) * (n - 1)) / n;
			expect(Math.abs(c.EI_sim[i] - mean), `E[I] of area ${i}`).toBeLessThan((4 * sd) / Math.sqrt(c.permutations));
			expect(Math.abs(c.seI_sim[i] / sd - 1), `sd of I of area ${i}`).toBeLessThan(0.02);
			// and so the z-score is (I − E) / sd on either scale
			expect(r.z[i]).toBeCloseTo((r.I[i] - mean) / sd, 9);
		}
	});
});

describe('LISA clusters', () => {
	const ref150 = ref.cases.find((x) => x.name === 'knn150')!;

	it('a low grid in a hot neighbourhood is 低值被高值包围, where Gi* calls it a hot spot', () => {
		const w = weightsFromNeighbours(ref150.neighbours);
		const lisa = localMoran(ref150.values, w);
		const gi = giStar(ref150.values, w);
		// the fixture's planted grid: the one-request grid in the middle of the hot corner
		const planted = ref150.values.findIndex((v, i) => v === 1 && lisa.quadrant[i] === 2 && gi.bin[i] > 0);
		expect(planted, 'a grid Gi* calls hot whose own value is low').toBeGreaterThanOrEqual(0);
		expect(lisa.cluster[planted]).toBe(2);
		expect(lisaLabel(lisa.cluster[planted])).toBe('低值被高值包围');
		// the hot corner itself is 高值聚集
		const hh = [...lisa.cluster].filter((q) => q === 1).length;
		expect(hh).toBeGreaterThanOrEqual(3);
	});

	it('an island and a flat field are never significant', () => {
		const r = localMoran(ref150.values, weightsFromNeighbours(ref150.neighbours));
		const island = ref150.neighbours.findIndex((nb) => nb.length === 0);
		expect(island).toBe(ref150.values.length - 1);
		expect(r.I[island]).toBe(0);
		expect(r.p[island]).toBe(1);
		expect(r.cluster[island]).toBe(0);
		const flat = localMoran([4, 4, 4, 4, 4], weightsFromNeighbours([[1], [0, 2], [1, 3], [2, 4], [3]]));
		expect([...flat.cluster]).toEqual([0, 0, 0, 0, 0]);
		expect([...flat.I]).toEqual([0, 0, 0, 0, 0]);
	});

	it('FDR correction keeps fewer (never more) clusters', () => {
		const w = weightsFromNeighbours(ref150.neighbours);
		const plain = [...localMoran(ref150.values, w).cluster].filter(Boolean).length;
		const fdr = [...localMoran(ref150.values, w, { fdr: true }).cluster].filter(Boolean).length;
		expect(plain).toBeGreaterThan(0);
		expect(fdr).toBeLessThanOrEqual(plain);
	});

	it('labels every cluster in Chinese and refuses bad input', () => {
		expect(Object.values(LISA_LABEL)).toEqual(['不显著', '高值聚集', '低值被高值包围', '低值聚集', '高值被低值包围']);
		expect(() => localMoran([1, 2], weightsFromNeighbours([[1], [0]]))).toThrow(/at least 3/);
		expect(() => localMoran([1, NaN, 2], weightsFromNeighbours([[1], [0, 2], [1]]))).toThrow(/not finite/);
	});
});
