import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/lib/domain/ratelimit';
import { findPii, redactPii } from '../../src/lib/domain/redact';

describe('RateLimiter', () => {
	it('allows `limit` hits per window and says when the next one is allowed', () => {
		const l = new RateLimiter(3, 60_000);
		expect([0, 1000, 2000].map((t) => l.hit('ip', t).ok)).toEqual([true, true, true]);
		expect(l.hit('ip', 3000)).toEqual({ ok: false, retryAfterS: 57 });
		expect(l.hit('other', 3000).ok).toBe(true);
		expect(l.hit('ip', 60_001).ok).toBe(true); // the first hit left the window
	});

	it('keeps at most maxKeys keys', () => {
		const l = new RateLimiter(1, 60_000, 2);
		l.hit('a', 0); l.hit('b', 0); l.hit('c', 0);
		expect(l.hit('a', 1).ok).toBe(true); // 'a' was evicted, so it starts afresh
	});
});

describe('redactPii', () => {
	it('masks mobile and ID numbers wherever they sit in a line', () => {
		expect(redactPii('phone=13812341234, id 43019919900101123X.')).toBe('phone=138****1234, id 4301**********123X.');
		expect(redactPii('{"p":"15900001111"}')).toBe('{"p":"159****1111"}');
	});

	it('leaves timestamps, ids, codes and landlines alone', () => {
		const text = 'at 1763712345678 grid 430104001001001 req R2026112100001 0731-88886666 id=12345678901';
		expect(redactPii(text)).toBe(text);
		expect(findPii(text)).toEqual([]);
	});

	it('finds what it would mask', () => {
		expect(findPii('a 13812341234 b 430199199001011234')).toEqual(['430199199001011234', '13812341234']);
	});
});
