import { describe, expect, it } from 'vitest';
import { bhAdjust, bhThreshold } from '../../src/lib/domain/fdr';
import { binLabel, distanceBandWeights, giStar, normalCdf, weightsFromNeighbours } from '../../src/lib/domain/gistar';

describe('Gi*', () => {
	// The published PySAL esda test case (esda/tests/test_getisord.py, G_Local star=True,
	// transform='B'): six points, distance band 15, y = [2, 3, 3.2, 5, 8, 7]; esda reports
	// Zs[0] = -1.39727626 (8 places). An independent implementation (Python/NumPy, PySAL).
	it('matches PySAL esda G_Local(star=True, binary) on its published test data', () => {
		const xy = Float64Array.from([10, 10, 20, 10, 40, 10, 15, 20, 30, 20, 30, 30]);
		const r = giStar([2, 3, 3.2, 5, 8, 7], distanceBandWeights(xy, 15));
		expect(r.z[0]).toBeCloseTo(-1.39727626, 8);
	});

	it('computes z, p and bins for a 1-D chain by hand', () => {
		// x = [0,0,0,0,10], chain neighbours; hand: mean 2, S = 4, area 4: Σwx = 10, W = 2, S1 = 2
		// z = (10 - 4) / (4 · sqrt((5·2 - 4)/4)) = 6 / (4 · 1.2247449) = 1.2247449
		const w = weightsFromNeighbours([[1], [0, 2], [1, 3], [2, 4], [3]]);
		const r = giStar([0, 0, 0, 0, 10], w);
		expect(r.z[4]).toBeCloseTo(1.224744871391589, 12);
		expect(r.p[4]).toBeCloseTo(0.22067136191984324, 10);
		expect([...r.bin]).toEqual([0, 0, 0, 0, 0]);
	});

	it('bins a strong hot spot at 99 % and says so in Chinese', () => {
		const n = 30;
		const nb = Array.from({ length: n }, (_, i) => [i - 1, i + 1].filter((j) => j >= 0 && j < n));
		const x = Array.from({ length: n }, (_, i) => (i >= 14 && i <= 16 ? 50 : 1));
		const r = giStar(x, weightsFromNeighbours(nb), { fdr: true });
		expect(r.bin[15]).toBe(3);
		expect(binLabel(r.bin[15])).toBe('热点 99%');
		expect(binLabel(-2)).toBe('冷点 95%');
	});

	it('normal CDF to 1e-14', () => {
		expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 14);
		expect(normalCdf(-1)).toBeCloseTo(0.15865525393145705, 14);
		expect(normalCdf(2.5758293035489004)).toBeCloseTo(0.995, 14);
	});

	it('refuses mismatched input', () => {
		expect(() => giStar([1, 2], weightsFromNeighbours([[1], [0]]))).toThrow('giStar: needs at least 3 areas, got 2');
		expect(() => giStar([1, 2, 3], weightsFromNeighbours([[1], [0]]))).toThrow('giStar: 3 values for 2 areas');
	});
});

describe('Benjamini–Hochberg FDR', () => {
	// the worked example of Benjamini & Hochberg (1995), 15 p-values: at q = 0.05 four are rejected
	const p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1];
	it('reproduces the paper: threshold 0.0095, four discoveries', () => {
		expect(bhThreshold(p, 0.05)).toBe(0.0095);
		expect(p.filter((x) => x <= bhThreshold(p, 0.05)).length).toBe(4);
	});
	it('adjusts p-values monotonically', () => {
		const q = bhAdjust(p);
		expect(q[3]).toBeCloseTo(0.035625, 12);
		expect(q[4]).toBeCloseTo(0.0603, 12); // min(0.0201·15/5, 0.0278·15/6, …)
		expect(q[14]).toBe(1);
	});
});
