// Which scheme, host and client address a request really came by, written into private headers
// that adapter-node reads (scripts/serve.mjs points PROTOCOL_HEADER, HOST_HEADER and
// ADDRESS_HEADER at them). Without this adapter-node assumes https whenever ORIGIN is unset, so a
// plain-http server refused its own forms as cross-site and set cookies the browser then dropped.
//
// The socket is the truth unless the operator says a reverse proxy stands in front: only then do
// X-Forwarded-Proto / -Host / -For count. TRUST_PROXY names the proxy by its addresses
// (`TRUST_PROXY=10.0.0.5,10.0.1.0/24`, `loopback` for one on this machine): the headers count only
// on connections from there, so a client reaching the app port directly claims nothing.
// TRUST_PROXY=1 trusts every peer (the app port reachable by the proxy alone). Incoming copies of
// the private headers are always removed first, so no client can claim https or another host itself.
import { BlockList, isIP } from 'node:net';

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
 * @param {{ trustProxy: boolean | ((address: string) => boolean), xffDepth?: number }} options  trustProxy: every
 *   peer, none, or the peers for which it answers true (trustedProxies); xffDepth: how many trusted
 *   proxies append to X-Forwarded-For (1)
 */
export function normaliseHeaders(headers, socket, { trustProxy, xffDepth = 1 }) {
	for (const name of Object.values(PRIVATE)) delete headers[name];
	let proto = socket.encrypted ? 'https' : 'http';
	let host = single(headers.host);
	let addr = socket.remoteAddress ?? '';
	if (typeof trustProxy === 'function' ? trustProxy(addr) : trustProxy) {
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

/** An IPv4 peer as Node reports it on a dual-stack socket (::ffff:10.0.0.5) → 10.0.0.5. @param {string} a */
const plainAddress = (a) => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a) ? a.slice(7) : a);

/**
 * TRUST_PROXY read: false (unset, 0, off), true (1, true, yes, on: every peer), or a test of the
 * peer's address for a comma-separated list of addresses and CIDR ranges (IPv4 or IPv6; `loopback`
 * = 127.0.0.0/8 and ::1). Anything else in the list is an error naming the variable and the entry.
 * @param {string | undefined} value
 * @returns {boolean | ((address: string) => boolean)}
 */
export function trustedProxies(value) {
	const v = value?.trim() ?? '';
	if (!v || /^(0|false|no|off)$/i.test(v)) return false;
	if (isOn(v)) return true;
	const list = new BlockList();
	for (const entry of v.split(',').map((s) => s.trim()).filter(Boolean)) {
		if (entry === 'loopback') {
			list.addSubnet('127.0.0.0', 8, 'ipv4');
			list.addAddress('::1', 'ipv6');
			continue;
		}
		const [ip, bits, extra] = entry.split('/');
		const family = isIP(ip);
		const prefix = bits === undefined ? null : Number(bits);
		const max = family === 4 ? 32 : 128;
		if (!family || extra !== undefined || (prefix !== null && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max))) {
			throw new Error(`TRUST_PROXY：“${entry}” 不是 IP 地址或 CIDR 网段（应为 1，或以逗号分隔的地址/网段，如 10.0.0.5,10.0.1.0/24,loopback）`);
		}
		const type = family === 4 ? 'ipv4' : 'ipv6';
		if (prefix === null) list.addAddress(ip, type);
		else list.addSubnet(ip, prefix, type);
	}
	return (address) => {
		const a = plainAddress(address);
		const family = isIP(a);
		return family !== 0 && list.check(a, family === 4 ? 'ipv4' : 'ipv6');
	};
}
