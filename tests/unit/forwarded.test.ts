// scripts/forwarded.mjs: how a request arrived, from the socket, or from a trusted proxy's headers.
import { describe, expect, it } from 'vitest';
import { isOn, normaliseHeaders, PRIVATE, trustedProxies } from '../../scripts/forwarded.mjs';

const plain = { encrypted: false, remoteAddress: '10.1.2.3' };
const tls = { encrypted: true, remoteAddress: '10.1.2.3' };
const spoof = {
	host: 'grid.intranet:3000',
	'x-forwarded-proto': 'https',
	'x-forwarded-host': 'evil.example',
	'x-forwarded-for': '6.6.6.6',
	[PRIVATE.proto]: 'https',
	[PRIVATE.host]: 'evil.example',
	[PRIVATE.addr]: '6.6.6.6'
};
const seen = (h: Record<string, unknown>) => [h[PRIVATE.proto], h[PRIVATE.host], h[PRIVATE.addr]];

describe('normaliseHeaders', () => {
	it('plain http at whatever host the client used', () => {
		expect(seen(normaliseHeaders({ host: '192.168.1.20:3000' }, plain, { trustProxy: false }))).toEqual(['http', '192.168.1.20:3000', '10.1.2.3']);
	});
	it('https when the socket is TLS', () => {
		expect(seen(normaliseHeaders({ host: 'grid.example.cn' }, tls, { trustProxy: false }))).toEqual(['https', 'grid.example.cn', '10.1.2.3']);
	});
	it('without TRUST_PROXY a client can claim neither https, another host nor another address', () => {
		expect(seen(normaliseHeaders({ ...spoof }, plain, { trustProxy: false }))).toEqual(['http', 'grid.intranet:3000', '10.1.2.3']);
	});
	it('with TRUST_PROXY the proxy says scheme, host and client (its own entry, the rightmost)', () => {
		const h = normaliseHeaders({ ...spoof, 'x-forwarded-for': '6.6.6.6, 172.16.0.9' }, plain, { trustProxy: true });
		expect(seen(h)).toEqual(['https', 'evil.example', '172.16.0.9']);
	});
	it('with TRUST_PROXY and two proxies, XFF_DEPTH 2 takes the second entry from the right', () => {
		const h = normaliseHeaders({ host: 'a', 'x-forwarded-for': '6.6.6.6, 172.16.0.9, 10.0.0.2' }, plain, { trustProxy: true, xffDepth: 2 });
		expect(h[PRIVATE.addr]).toBe('172.16.0.9');
	});
	it('with TRUST_PROXY, a missing or odd forwarded header falls back to the socket', () => {
		const h = normaliseHeaders({ host: 'grid.intranet', 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'a/b@c' }, tls, { trustProxy: true });
		expect(seen(h)).toEqual(['https', 'grid.intranet', '10.1.2.3']);
	});
	it('a host that could bend the URL is not passed on', () => {
		expect(normaliseHeaders({ host: 'evil.example/@x' }, plain, { trustProxy: false })[PRIVATE.host]).toBeUndefined();
		expect(normaliseHeaders({ host: '[::1]:3000' }, plain, { trustProxy: false })[PRIVATE.host]).toBe('[::1]:3000');
	});
});

describe('isOn', () => {
	it('reads the usual spellings of a switch', () => {
		expect(['1', 'true', 'YES', ' on '].map(isOn)).toEqual([true, true, true, true]);
		expect(['0', '', 'false', undefined].map(isOn)).toEqual([false, false, false, false]);
	});
});

describe('trustedProxies (TRUST_PROXY)', () => {
	it('unset or off trusts no one, 1 every peer', () => {
		expect([undefined, '', '0', 'off'].map(trustedProxies)).toEqual([false, false, false, false]);
		expect(trustedProxies('1')).toBe(true);
	});
	it('a list of addresses and ranges trusts exactly those peers, IPv4-mapped ones included', () => {
		const trust = trustedProxies('10.0.0.5, 10.0.1.0/24, fd00::/8') as (a: string) => boolean;
		expect(['10.0.0.5', '::ffff:10.0.0.5', '10.0.1.200', 'fd00::7'].map(trust)).toEqual([true, true, true, true]);
		expect(['10.0.0.6', '10.0.2.1', '192.168.1.5', '::1', ''].map(trust)).toEqual([false, false, false, false, false]);
	});
	it('loopback means a proxy on this machine', () => {
		const trust = trustedProxies('loopback') as (a: string) => boolean;
		expect(['127.0.0.1', '::ffff:127.0.0.1', '::1', '10.0.0.1'].map(trust)).toEqual([true, true, true, false]);
	});
	it('an entry that is no address or range is an error naming the variable and the entry', () => {
		expect(() => trustedProxies('10.0.0.5,nginx')).toThrow(/TRUST_PROXY：“nginx”/);
		expect(() => trustedProxies('10.0.0.0/33')).toThrow(/TRUST_PROXY：“10.0.0.0\/33”/);
	});
	it('the forwarded headers count from the trusted proxy only; a client at the app port directly claims nothing', () => {
		const trust = trustedProxies('10.1.2.3');
		const viaProxy = normaliseHeaders({ ...spoof, 'x-forwarded-for': '6.6.6.6, 172.16.0.9' }, plain, { trustProxy: trust });
		expect(seen(viaProxy)).toEqual(['https', 'evil.example', '172.16.0.9']);
		const direct = normaliseHeaders({ ...spoof }, { encrypted: false, remoteAddress: '10.9.9.9' }, { trustProxy: trust });
		expect(seen(direct)).toEqual(['http', 'grid.intranet:3000', '10.9.9.9']);
	});
});
