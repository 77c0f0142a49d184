// The map API's answers: every error as {error: {code, message, field}} with a Chinese message,
// cached bodies with ETag/304, gzip when the client takes it, and long caching when the request
// names the current data version (the URL then changes whenever the data does).
import type { RequestEvent } from '@sveltejs/kit';
import { answerOrFail, toFailure, type Failure } from './errors';
import { SeedingError } from '../db/database';
import { UNAVAILABLE, unavailableJson } from './unavailable';
import type { Cached } from '../queries/cache';
import { noteErrorCode } from '../ops/context';

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, ...headers } });
}

/** The map API's error format: {error: {code, message, field}}, with the seeding progress while seeding. */
export function jsonFailure({ error, retryAfterS, thrown }: Failure): Response {
	noteErrorCode(error.code);
	if (error.code === UNAVAILABLE.code) return unavailableJson();
	const body = thrown instanceof SeedingError ? { ...error.toJSON(), progress: thrown.progress } : error.toJSON();
	return jsonResponse(body, error.status, retryAfterS ? { 'retry-after': String(retryAfterS) } : {});
}

export const errorResponse = (e: unknown): Response => jsonFailure(toFailure(e, 'api'));

/** Wraps an endpoint so nothing escapes as an HTML error page or a bare 500. */
export function api<E extends RequestEvent>(fn: (event: E) => Promise<Response>): (event: E) => Promise<Response> {
	return (event) => answerOrFail(() => fn(event), jsonFailure, 'api');
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
