// OGC API answers: JSON (GeoJSON for features), errors as {code, description, parameter} with the
// HTTP status, readable from any origin. The caller is the session's user or an API key's.
import type { RequestEvent } from '@sveltejs/kit';
import { ApiError } from '../../domain/apierror';
import { GEOJSON, JSON_TYPE, OgcError } from '../../domain/ogc';
import type { SessionUser } from '../auth/user';
import { ready, SeedingError } from '../db/database';
import { isDatabaseUnavailable } from '../db/client';
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
	if (!user) throw new OgcError(401, 'Unauthorized', 'this API key is unknown or revoked');
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

/** The /ogc root as seen by the client (behind a TLS proxy set TRUST_PROXY=1, or ORIGIN as for any SvelteKit node server). */
export const ogcBase = (url: URL) => `${publicUrl(url).origin}/ogc`;

export async function ogc(fn: () => Promise<Response>): Promise<Response> {
	try {
		return await fn();
	} catch (e) {
		const err = e instanceof OgcError ? e
			: e instanceof ApiError ? new OgcError(e.status, e.code, e.message, e.field)
			: e instanceof SeedingError ? new OgcError(503, 'ServiceUnavailable', e.message)
			: isDatabaseUnavailable(e) ? new OgcError(503, 'ServiceUnavailable', '数据库暂时不可用，请稍后重试')
			: null;
		if (!err) console.error('[ogc]', e);
		const out = err ?? new OgcError(500, 'ServerError', 'internal server error');
		const res = ogcJson(out.body(), JSON_TYPE, out.status);
		if (out.status === 401) res.headers.set('www-authenticate', 'Bearer realm="ogc"');
		return res;
	}
}
