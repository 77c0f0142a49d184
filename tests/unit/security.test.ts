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

describe('crossSiteRefused', async () => {
	const { crossSiteRefused } = await import('../../src/lib/server/http/csrf');
	const url = new URL('https://grid.example/api/requests');
	const req = (method: string, headers: Record<string, string>) => new Request(url, { method, headers });
	it('refuses another origin, a cross-site fetch, and a form post without our origin', () => {
		expect(crossSiteRefused(req('POST', { origin: 'https://evil.example', 'content-type': 'application/json' }), url)).toBe(true);
		expect(crossSiteRefused(req('POST', { 'sec-fetch-site': 'cross-site' }), url)).toBe(true);
		expect(crossSiteRefused(req('POST', { 'content-type': 'application/x-www-form-urlencoded' }), url)).toBe(true);
	});
	it('lets same-origin posts, reads, non-browser JSON and Open311 forms through', () => {
		expect(crossSiteRefused(req('POST', { origin: 'https://grid.example', 'content-type': 'application/x-www-form-urlencoded' }), url)).toBe(false);
		expect(crossSiteRefused(req('GET', { origin: 'https://evil.example' }), url)).toBe(false);
		expect(crossSiteRefused(req('POST', { 'content-type': 'application/json' }), url)).toBe(false);
		const o311 = new URL('https://grid.example/open311/v2/requests.json');
		expect(crossSiteRefused(new Request(o311, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), o311)).toBe(false);
	});
});
