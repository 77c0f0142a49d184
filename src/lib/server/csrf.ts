// SvelteKit's cross-site form check, kept for every path but Open311's: GeoReport v2 clients
// POST application/x-www-form-urlencoded from other sites and servers (often with no Origin at
// all) and prove themselves with an api_key instead. svelte.config.js turns the built-in check
// off so that this one, with its single exemption, is the only one.
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const UNSAFE = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Paths whose form POSTs are authorised by an API key, not by a same-site session. */
export const KEYED_FORM_PATHS = ['/open311/'];

export function crossSiteFormBlocked(request: Request, url: URL): boolean {
	if (!UNSAFE.includes(request.method)) return false;
	const type = (request.headers.get('content-type') ?? '').split(';', 1)[0].trim().toLowerCase();
	if (!FORM_TYPES.includes(type)) return false;
	if (KEYED_FORM_PATHS.some((p) => url.pathname.startsWith(p))) return false;
	return request.headers.get('origin') !== url.origin;
}
