// Structured logs (ops/log.ts, hooks/observe.ts): JSON lines, the request id on every line written
// while a request is handled, X-Request-Id honoured only when sane, and PII redacted in pino's
// output as it was in the console's.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { createLogger } from '../../src/lib/server/ops/log';
import { requestContext, requestIdFrom } from '../../src/lib/server/ops/context';
import { observe } from '../../src/lib/server/hooks/observe';
import { installLogRedaction } from '../../src/lib/server/logging';

const PHONE = '13812345678';
const ID_NUMBER = '11010519491231002X';

function memory() {
	const lines: string[] = [];
	return { lines, stream: { write: (s: string) => void lines.push(s) }, json: () => lines.map((l) => JSON.parse(l)) };
}

/** The minimum of a RequestEvent that observe reads. */
function fakeEvent(path: string, routeId: string | null, headers: Record<string, string> = {}): RequestEvent {
	const url = new URL(`http://grid.test${path}`);
	return { request: new Request(url, { headers }), url, route: { id: routeId }, locals: { user: { id: 7 } } } as unknown as RequestEvent;
}

/** What observe's logger writes to standard output during fn, as parsed JSON lines. */
async function stdoutDuring(fn: () => Promise<unknown>): Promise<Record<string, any>[]> {
	const written: string[] = [];
	const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (written.push(String(chunk)), true));
	try {
		await fn();
	} finally {
		spy.mockRestore();
	}
	return written.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

afterEach(() => vi.restoreAllMocks());

describe('the logger', () => {
	it('writes one JSON object a line, with the request id of the request it is written for', () => {
		const m = memory();
		const log = createLogger(m.stream);
		requestContext.run({ id: 'req-abc-123' }, () => log.info({ n: 1 }, 'inside'));
		log.info('outside');
		const [inside, outside] = m.json();
		expect(inside).toMatchObject({ msg: 'inside', reqId: 'req-abc-123', n: 1, level: 30, severity: 'info' });
		expect(outside.msg).toBe('outside');
		expect(outside).not.toHaveProperty('reqId');
	});

	it('redacts phone and ID numbers in the message, in fields and in an error stack', () => {
		const m = memory();
		const log = createLogger(m.stream);
		log.error({ phone: PHONE, err: new Error(`bad id ${ID_NUMBER}`) }, `call ${PHONE} about ${ID_NUMBER}`);
		const text = m.lines.join('');
		expect(text).not.toContain(PHONE);
		expect(text).not.toContain(ID_NUMBER);
		expect(text).toContain('138****5678');
		expect(text).toContain('1101**********002X');
		expect(() => JSON.parse(m.lines[0])).not.toThrow();
	});

	it('console calls go through it, still redacted, their text kept for a grep', async () => {
		installLogRedaction();
		const lines = await stdoutDuring(async () => {
			console.error(`[db] PostgreSQL: 数据库不可用 (ECONNREFUSED: ${PHONE})`);
			console.log('[server] listening on http://127.0.0.1:1 (pid %d)', 42);
		});
		expect(lines[0]).toMatchObject({ severity: 'error', msg: '[db] PostgreSQL: 数据库不可用 (ECONNREFUSED: 138****5678)' });
		expect(lines[1].msg).toMatch(/\(pid 42\)/);
	});
});

describe('request ids', () => {
	it('honours a sane incoming X-Request-Id and replaces anything else', () => {
		expect(requestIdFrom('abc123-DEF.456_7:8')).toBe('abc123-DEF.456_7:8');
		for (const bad of [null, '', 'short', 'x'.repeat(65), 'has space inside', 'quote"inject"here', `phone-${PHONE}\n{"x":1}`]) {
			const id = requestIdFrom(bad);
			expect(id).not.toBe(bad);
			expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
		}
	});

	it('a request gets its id in the response header, on every line written while it is handled, and in one access line', async () => {
		const event = fakeEvent(`/api/requests/4711?phone=${PHONE}`, '/api/requests/[id]', { 'x-request-id': 'proxy-id-000111' });
		let response!: Response;
		const lines = await stdoutDuring(async () => {
			response = await observe({
				event,
				resolve: async () => {
					console.warn('[requests] something to say');
					await new Promise((r) => setTimeout(r, 5)); // across an await
					console.log('[requests] later');
					return Response.json({ ok: true });
				}
			});
		});
		expect(response.headers.get('x-request-id')).toBe('proxy-id-000111');
		expect(lines.map((l) => l.reqId)).toEqual(['proxy-id-000111', 'proxy-id-000111', 'proxy-id-000111']);
		const access = lines.find((l) => l.msg === 'access')!;
		expect(access).toMatchObject({ method: 'GET', route: '/api/requests/[id]', status: 200, userId: 7 });
		expect(typeof access.ms).toBe('number');
		// the route id, never the path or its query string
		expect(JSON.stringify(lines)).not.toContain('4711');
		expect(JSON.stringify(lines)).not.toContain('138');
	});

	it('a request without one gets a new id, different each time', async () => {
		const ids = new Set<string>();
		await stdoutDuring(async () => {
			for (let i = 0; i < 3; i++) {
				const r = await observe({ event: fakeEvent('/api/status', '/api/status'), resolve: async () => new Response('x') });
				ids.add(r.headers.get('x-request-id')!);
			}
		});
		expect(ids.size).toBe(3);
	});
});
