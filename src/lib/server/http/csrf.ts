// Cross-site request forgery: one check for every state-changing request, forms and JSON alike.
// Browsers name the sending page in Origin (and Sec-Fetch-Site) on every cross-origin POST; a form
// post must also carry a matching Origin, as SvelteKit's own check (turned off in svelte.config.js)
// demanded. Open311 is exempt: GeoReport v2 clients post forms from other sites and servers (often
// with no Origin at all) and prove themselves with an api_key, not a session cookie.
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const UNSAFE = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Paths whose posts are authorised by an API key, not by a same-site session. */
export const KEYED_FORM_PATHS = ['/open311/'];

export function crossSiteRefused(request: Request, url: URL): boolean {
	if (!UNSAFE.includes(request.method)) return false;
	if (KEYED_FORM_PATHS.some((p) => url.pathname.startsWith(p))) return false;
	const origin = request.headers.get('origin');
	if (origin && origin !== url.origin) return true;
	const site = request.headers.get('sec-fetch-site');
	if (site === 'cross-site' || site === 'same-site') return true;
	const type = (request.headers.get('content-type') ?? '').split(';', 1)[0].trim().toLowerCase();
	return FORM_TYPES.includes(type) && origin !== url.origin;
}
