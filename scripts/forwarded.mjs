// Which scheme, host and client address a request really came by, written into private headers
// that adapter-node reads (scripts/serve.mjs points PROTOCOL_HEADER, HOST_HEADER and
// ADDRESS_HEADER at them). Without this adapter-node assumes https whenever ORIGIN is unset, so a
// plain-http server refused its own forms as cross-site and set cookies the browser then dropped.
//
// The socket is the truth unless the operator says a reverse proxy stands in front
// (TRUST_PROXY=1): only then do X-Forwarded-Proto / -Host / -For count. Incoming copies of the
// private headers are always removed first, so no client can claim https or another host itself.

/** The private header names; lower case, as Node gives them. */
export const PRIVATE = Object.freeze({ proto: 'x-grid-internal-proto', host: 'x-grid-internal-host', addr: 'x-grid-internal-addr' });

// a host name or IPv4/IPv6 literal with an optional port: nothing that could bend the URL built from it
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** @param {string | string[] | undefined} v */
const single = (v) => (Array.isArray(v) ? v[0] : v);

/** The comma-separated entries of a header (repeated headers joined), trimmed, empty ones dropped. @param {string | string[] | undefined} v */
const entries = (v) => (Array.isArray(v) ? v.join(',') : v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/**
 * Rewrites `headers` (Node's req.headers, mutated) so that the private headers say how this
 * request arrived.
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {{ encrypted?: boolean, remoteAddress?: string }} socket  req.socket (a TLSSocket has encrypted = true)
 * @param {{ trustProxy: boolean, xffDepth?: number }} options  xffDepth: how many trusted proxies append to X-Forwarded-For (1)
 */
export function normaliseHeaders(headers, socket, { trustProxy, xffDepth = 1 }) {
	for (const name of Object.values(PRIVATE)) delete headers[name];
	let proto = socket.encrypted ? 'https' : 'http';
	let host = single(headers.host);
	let addr = socket.remoteAddress ?? '';
	if (trustProxy) {
		// the first entry is what the client used; later ones were added by proxies further in
		const fproto = entries(headers['x-forwarded-proto'])[0]?.toLowerCase();
		if (fproto === 'http' || fproto === 'https') proto = fproto;
		const fhost = entries(headers['x-forwarded-host'])[0];
		if (fhost && HOST.test(fhost)) host = fhost;
		// the client writes the left end of X-Forwarded-For; each trusted proxy appends on the right
		const ffor = entries(headers['x-forwarded-for']);
		if (ffor.length >= xffDepth && xffDepth >= 1) addr = ffor[ffor.length - xffDepth];
	}
	headers[PRIVATE.proto] = proto;
	if (host && HOST.test(host)) headers[PRIVATE.host] = host;
	headers[PRIVATE.addr] = addr;
	return headers;
}

/** TRUST_PROXY as a switch: 1/true/yes turn it on, anything else (or unset) leaves it off. @param {string | undefined} v */
export const isOn = (v) => /^(1|true|yes|on)$/i.test(v?.trim() ?? '');
