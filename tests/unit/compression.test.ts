// The app's own answers leave gzipped (issue 18): which ones, and that the bytes survive the trip.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, gzipResponse, shouldCompress } from '../../src/lib/server/hooks/compression';

const req = (accept: string | null = 'gzip, deflate, br', method = 'GET') =>
	new Request('http://grid.intranet/', { method, headers: accept === null ? {} : { 'accept-encoding': accept } });
const page = (headers: Record<string, string> = {}, status = 200, body = 'x'.repeat(5000)) =>
	new Response(body, { status, headers: { 'content-type': 'text/html', ...headers } });

describe('compression', () => {
	it('gzips pages and JSON for a client that takes gzip', () => {
		expect(shouldCompress(req(), page())).toBe(true);
		expect(shouldCompress(req(), page({ 'content-type': 'application/json' }))).toBe(true);
		expect(shouldCompress(req(), page({ 'content-type': 'application/geo+json; charset=utf-8' }))).toBe(true);
	});

	it('leaves alone what is compressed already, streamed live, small, an error, a HEAD or not asked for', () => {
		expect(shouldCompress(req(), page({ 'content-encoding': 'gzip' }))).toBe(false);
		expect(shouldCompress(req(), page({ 'content-type': 'text/event-stream; charset=utf-8' }))).toBe(false);
		expect(shouldCompress(req(), page({ 'content-type': 'image/png' }))).toBe(false);
		expect(shouldCompress(req(), page({ 'content-length': '200' }, 200, 'x'.repeat(200)))).toBe(false);
		expect(shouldCompress(req(), page({}, 404))).toBe(false);
		expect(shouldCompress(req(), page({ 'cache-control': 'no-transform' }))).toBe(false);
		expect(shouldCompress(req('gzip', 'HEAD'), page())).toBe(false);
		expect(shouldCompress(req(null), page())).toBe(false);
		expect(shouldCompress(req('br'), page())).toBe(false);
	});

	it('reads Accept-Encoding as HTTP does (q=0 refuses)', () => {
		expect(acceptsGzip('gzip;q=0, br')).toBe(false);
		expect(acceptsGzip('br, gzip;q=0.5')).toBe(true);
		expect(acceptsGzip('*')).toBe(true);
		expect(acceptsGzip('identity')).toBe(false);
	});

	it('sends the same bytes gzipped, with the headers a cache needs', async () => {
		const text = '<p>网格治理地图</p>'.repeat(500);
		const out = gzipResponse(page({ 'content-length': String(Buffer.byteLength(text)), etag: '"abc"', vary: 'cookie' }, 200, text));
		expect(out.headers.get('content-encoding')).toBe('gzip');
		expect(out.headers.get('content-length')).toBeNull();
		expect(out.headers.get('vary')).toBe('cookie, accept-encoding');
		expect(out.headers.get('etag')).toBe('W/"abc"');
		const zipped = Buffer.from(await out.arrayBuffer());
		expect(zipped.byteLength).toBeLessThan(Buffer.byteLength(text) / 10);
		expect(gunzipSync(zipped).toString()).toBe(text);
	});
});
