// The hook-level guard (src/lib/server/http/guard.ts): anonymous bodies capped before they are
// read, chunked bodies counted as they stream, NUL bytes refused with the field named.
import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { ANONYMOUS_BODY_MAX_BYTES, guardRequest, OPEN311_BODY_MAX_BYTES } from '../../src/lib/server/http/guard';
import { readJson } from '../../src/lib/server/http/body';

const event = (url: string, init?: RequestInit) =>
	({ url: new URL(url, 'http://grid.test'), request: new Request(new URL(url, 'http://grid.test'), init) }) as unknown as RequestEvent;

/** A body with no Content-Length (as a chunked upload arrives), counting how much was pulled. */
function chunked(total: number, chunk = 4096) {
	let sent = 0;
	const stream = new ReadableStream<Uint8Array>({
		pull(c) {
			if (sent >= total) return c.close();
			const n = Math.min(chunk, total - sent);
			sent += n;
			c.enqueue(new Uint8Array(n).fill(97));
		}
	});
	return { stream, sent: () => sent };
}

async function errorOf(r: Response | null) {
	expect(r).not.toBeNull();
	return { status: r!.status, ...(await r!.json()).error };
}

describe('anonymous body caps', () => {
	it('refuses a declared oversize /login post without reading it, with a Chinese 413', async () => {
		const big = chunked(64 * 1024 * 1024);
		const e = event('/login', { method: 'POST', body: big.stream, headers: { 'content-length': String(64 * 1024 * 1024) }, duplex: 'half' } as RequestInit);
		expect(await errorOf(await guardRequest(e, false))).toMatchObject({ status: 413, code: 'payload_too_large', message: expect.stringContaining('16 KB') });
		expect(big.sent()).toBeLessThanOrEqual(64 * 1024); // nothing (or the stream's first pulls) read
	});

	it('counts a chunked body and stops at the cap', async () => {
		const big = chunked(10 * 1024 * 1024);
		const e = event('/open311/v2/requests.json', { method: 'POST', body: big.stream, duplex: 'half' } as RequestInit);
		expect(await errorOf(await guardRequest(e, false))).toMatchObject({ status: 413, message: expect.stringContaining('1 MB') });
		expect(big.sent()).toBeLessThan(OPEN311_BODY_MAX_BYTES + 64 * 1024);
	});

	it('lets a small sign-in form through with its body still readable by the action', async () => {
		const e = event('/login', { method: 'POST', body: new URLSearchParams({ username: 'leader1', password: 'x' }) });
		expect(await guardRequest(e, false)).toBeNull();
		expect((await e.request.formData()).get('username')).toBe('leader1');
	});

	it('caps /login even with a session, but not a signed-in import', async () => {
		const body = 'a'.repeat(ANONYMOUS_BODY_MAX_BYTES + 1);
		expect((await guardRequest(event('/login', { method: 'POST', body }), true))?.status).toBe(413);
		expect((await guardRequest(event('/logout', { method: 'POST', body }), false))?.status).toBe(413);
		expect(await guardRequest(event('/api/import', { method: 'POST', body }), true)).toBeNull();
	});
});

describe('NUL bytes', () => {
	it.each(['q', 'category', 'service_code', 'redirect'])('refuses %s=…\\0… in the query string, naming the field', async (field) => {
		const r = await guardRequest(event(`/api/requests?${field}=ab%00c`), true);
		expect(await errorOf(r)).toEqual({ status: 400, code: 'invalid_param', field, message: `参数 ${field} 不能包含空字符` });
	});

	it('refuses a NUL in an anonymous form post and a JSON Open311 post', async () => {
		const form = event('/open311/v2/requests.json', { method: 'POST', body: new URLSearchParams({ service_code: 'a\u0000', lat: '1' }) });
		expect(await errorOf(await guardRequest(form, false))).toMatchObject({ status: 400, field: 'service_code' });
		const json = event('/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ description: 'x\u0000' }) });
		expect(await errorOf(await guardRequest(json, false))).toMatchObject({ status: 400, field: 'description' });
	});

	it('readJson names a nested JSON field holding a NUL', async () => {
		const req = new Request('http://grid.test/api/requests', { method: 'POST', body: JSON.stringify({ title: 'ok', location: { address: 'a\u0000b' } }) });
		await expect(readJson(req)).rejects.toMatchObject({ status: 400, code: 'invalid_param', field: 'location.address' });
		const fine = new Request('http://grid.test/api/requests', { method: 'POST', body: JSON.stringify({ title: '路灯' }) });
		expect(await readJson(fine)).toEqual({ title: '路灯' });
	});

	it('passes clean queries', async () => {
		expect(await guardRequest(event('/api/requests?q=%E8%B7%AF%E7%81%AF&category=city'), true)).toBeNull();
	});
});
