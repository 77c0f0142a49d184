// OGC API answers: JSON (GeoJSON for features), errors as {code, description, parameter} with the
// HTTP status, readable from any origin. The caller is the session's user or an API key's.
import type { RequestEvent } from '@sveltejs/kit';
import { GEOJSON, JSON_TYPE, OgcError } from '../../domain/ogc';
import type { SessionUser } from '../auth/user';
import { ready } from '../db/database';
import { answerOrFail, INTERNAL, type Failure } from '../http/errors';
import { apiKeyOf, userFromApiKey } from '../open311/keys';

export function ogcJson(body: unknown, type: string = JSON_TYPE, status = 200): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': type, 'access-control-allow-origin': '*' } });
}

export const geojson = (body: unknown) => ogcJson(body, GEOJSON);

export async function ogcUser(event: RequestEvent): Promise<SessionUser | null> {
	if (event.locals.user) return event.locals.user;
	const key = apiKeyOf(event.request, event.url);
	if (!key) return null;
	const user = await userFromApiKey(await ready(), key);
	if (!user) throw new OgcError(401, 'Unauthorized', '接口密钥（api_key）无效或已吊销');
	return user;
}

/**
 * The request's URL as the client sees it, for absolute links. adapter-node assumes https when
 * neither ORIGIN nor PROTOCOL_HEADER is set, but then it is serving plain HTTP itself: say http.
 */
export function publicUrl(url: URL): URL {
	if (process.env.ORIGIN || process.env.PROTOCOL_HEADER || url.protocol === 'http:') return url;
	const u = new URL(url);
	u.protocol = 'http:';
	return u;
}

/** `?api_key=…` when the caller put its key into the URL, else '': our links carry it on. */
export function keyQuery(url: URL): string {
	const key = url.searchParams.get('api_key');
	return key ? `?api_key=${encodeURIComponent(key)}` : '';
}

/** The /ogc root as seen by the client (behind a TLS proxy set TRUST_PROXY=1, or ORIGIN as for any SvelteKit node server). */
export const ogcBase = (url: URL) => `${publicUrl(url).origin}/ogc`;

/** OGC's exception format: {code, description, parameter}; the unavailable and internal codes in OGC's words. */
export function ogcFailure({ error, retryAfterS }: Failure): Response {
	const out = error instanceof OgcError ? error
		: error.status === 500 ? new OgcError(500, 'ServerError', INTERNAL.message)
		: error.status === 503 ? new OgcError(503, 'ServiceUnavailable', error.message)
		: new OgcError(error.status, error.code, error.message, error.field);
	const res = ogcJson(out.body(), JSON_TYPE, out.status);
	if (out.status === 401) res.headers.set('www-authenticate', 'Bearer realm="ogc"');
	if (retryAfterS) res.headers.set('retry-after', String(retryAfterS));
	return res;
}

/** Runs an OGC endpoint; whatever it throws becomes an OGC exception. */
export const ogc = (fn: () => Promise<Response>): Promise<Response> => answerOrFail(fn, ogcFailure, 'ogc');
