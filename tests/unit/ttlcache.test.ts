// The shared TtlCache (src/lib/server/cache.ts): one computation per key and period, shared while
// pending; failures are not kept; the oldest entries go when it is full.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TtlCache } from '../../src/lib/server/cache';

describe('TtlCache', () => {
	afterEach(() => vi.useRealTimers());

	it('computes once per key and period, and again after it', async () => {
		vi.useFakeTimers();
		const cache = new TtlCache<number>(1000);
		let n = 0;
		const compute = async () => ++n;
		expect(await Promise.all([cache.get('a', compute), cache.get('a', compute)])).toEqual([1, 1]);
		expect(await cache.get('b', compute)).toBe(2);
		vi.advanceTimersByTime(1001);
		expect(await cache.get('a', compute)).toBe(3);
	});

	it('does not keep a failure', async () => {
		const cache = new TtlCache<number>(60_000);
		await expect(cache.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
		await Promise.resolve();
		expect(await cache.get('a', async () => 7)).toBe(7);
	});

	it('drops the oldest entry beyond max', async () => {
		const cache = new TtlCache<string>(60_000, 2);
		for (const k of ['a', 'b', 'c']) await cache.get(k, async () => k);
		expect(await cache.get('a', async () => 'again')).toBe('again');
		expect(await cache.get('c', async () => 'again')).toBe('c');
	});
});
