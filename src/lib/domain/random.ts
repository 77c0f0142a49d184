// A small seeded PRNG (mulberry32) and the draws the demo generator needs. Deterministic:
// the same seed gives the same district on every machine.

export class Random {
	private state: number;

	constructor(seed: number) {
		if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
		this.state = seed >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Uniform in [min, max). */
	range(min: number, max: number): number {
		return min + (max - min) * this.next();
	}

	/** Integer in [min, max] inclusive. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		if (!items.length) throw new RangeError('pick from an empty list');
		return items[Math.floor(this.next() * items.length)];
	}

	/** Index drawn with probability proportional to weights[i] (all ≥ 0, sum > 0). */
	weighted(weights: readonly number[]): number {
		let total = 0;
		for (const w of weights) total += w;
		let r = this.next() * total;
		for (let i = 0; i < weights.length; i++) {
			r -= weights[i];
			if (r < 0) return i;
		}
		return weights.length - 1;
	}

	/** Standard normal (Box–Muller). */
	normal(mean = 0, sd = 1): number {
		const u = 1 - this.next();
		const v = this.next();
		return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	/** Exponential with the given mean. */
	exponential(mean: number): number {
		return -mean * Math.log(1 - this.next());
	}

	/** Log-normal whose median is `median`; `spread` is the sd of the underlying normal. */
	logNormal(median: number, spread: number): number {
		return median * Math.exp(this.normal(0, spread));
	}

	/** Poisson count (Knuth; fine for the small means we draw). */
	poisson(mean: number): number {
		const limit = Math.exp(-mean);
		let k = 0;
		let p = this.next();
		while (p > limit) {
			k++;
			p *= this.next();
		}
		return k;
	}

	/** A child generator, so adding draws in one part of the generator leaves the others alone. */
	fork(label: string): Random {
		let h = this.state ^ 0x9e3779b9;
		for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
		return new Random(h >>> 0);
	}
}
