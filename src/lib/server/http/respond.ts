// The map API's answers: every error as {error: {code, message, field}} with a Chinese message,
// cached bodies with ETag/304, gzip when the client takes it, and long caching when the request
// names the current data version (the URL then changes whenever the data does).
import type { RequestEvent } from '@sveltejs/kit';
import { toApiError } from './errors';
import { SeedingError } from '../db/database';
import { isDatabaseUnavailable } from '../db/client';
import { unavailableJson } from './unavailable';
import type { Cached } from '../queries/cache';

// the Open311 endpoints read database refusals through here
export { fromDatabaseError } from './errors';

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, ...headers } });
}

export function errorResponse(e: unknown): Response {
	const refused = toApiError(e);
	if (refused) {
		const retry = (refused as { retryAfterS?: number }).retryAfterS;
		return jsonResponse(refused.toJSON(), refused.status, retry ? { 'retry-after': String(retry) } : {});
	}
	if (e instanceof SeedingError) {
		const { progress } = e;
		return jsonResponse({ error: { code: 'seeding', message: e.message }, progress }, 503, { 'retry-after': '2' });
	}
	if (isDatabaseUnavailable(e)) return unavailableJson(); // logged once per outage by db.ts
	console.error('[api]', e);
	return jsonResponse({ error: { code: 'internal', message: '服务器内部错误，请稍后重试' } }, 500);
}

/** Wraps an endpoint so nothing escapes as an HTML error page or a bare 500. */
export function api<E extends RequestEvent>(fn: (event: E) => Promise<Response>): (event: E) => Promise<Response> {
	return async (event) => {
		try {
			return await fn(event);
		} catch (e) {
			return errorResponse(e);
		}
	};
}

/**
 * Sends a cached body. `versioned`: the URL carried the current data version and the viewer's
 * scope tag (versions.ts viewerVersions), so the browser may keep it for a day: no other user's
 * URL is the same. Otherwise the client must revalidate (cheap: ETag → 304). The ETag carries the
 * scope tag and the answer varies by cookie: one user's ETag never earns another user a 304.
 */
export function sendCached(request: Request, c: Cached, versioned: boolean, scopeTag: string): Response {
	const etag = `"${c.etag.slice(1, -1)}.${scopeTag}"`;
	const headers: Record<string, string> = {
		'content-type': c.type,
		etag,
		vary: 'accept-encoding, cookie',
		'cache-control': versioned ? 'private, max-age=86400, immutable' : 'private, no-cache'
	};
	const seen = (request.headers.get('if-none-match') ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
	if (seen.includes(etag)) return new Response(null, { status: 304, headers });
	const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '') && c.gzip.byteLength < c.body.byteLength;
	const body = gzip ? c.gzip : c.body;
	if (gzip) headers['content-encoding'] = 'gzip';
	headers['content-length'] = String(body.byteLength);
	return new Response(body as BodyInit, { status: 200, headers });
}
