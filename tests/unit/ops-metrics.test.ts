// /metrics (routes/metrics, ops/metrics.ts): who may read it, and what it says after some requests —
// latency by route id (never a raw path or id), error counts by code, cache hits, jobs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { GET } from '../../src/routes/metrics/+server';
import { observe } from '../../src/lib/server/hooks/observe';
import { metricsAccess } from '../../src/lib/server/ops/metricsAccess';
import { jobStarted, trackJob, trackStream } from '../../src/lib/server/ops/metrics';
import { TtlCache } from '../../src/lib/server/cache';
import { refuse } from '../../src/lib/server/hooks/headers';

const TOKEN = 'a-long-enough-metrics-token-42';

function metricsEvent(headers: Record<string, string>, role: string | null) {
	const request = new Request('http://grid.test/metrics', { headers });
	return { request, url: new URL(request.url), locals: { user: role ? { id: 1, role } : null } } as unknown as Parameters<typeof GET>[0];
}

async function scrape(): Promise<string> {
	const res = await GET(metricsEvent({}, 'admin'));
	expect(res.status).toBe(200);
	return res.text();
}

/** Runs observe as the app does, silencing its access lines. */
async function request(path: string, routeId: string | null, answer: () => Response, method = 'GET') {
	vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
	const url = new URL(`http://grid.test${path}`);
	const event = { request: new Request(url, { method }), url, route: { id: routeId }, locals: { user: null } } as unknown as RequestEvent;
	try {
		return await observe({ event, resolve: async () => answer() });
	} finally {
		vi.restoreAllMocks();
	}
}

afterEach(() => vi.unstubAllEnvs());

describe('access', () => {
	it('a bearer token equal to METRICS_TOKEN or a signed-in admin; others 401/403 in JSON', async () => {
		vi.stubEnv('METRICS_TOKEN', TOKEN);
		const cases: [Record<string, string>, string | null, number][] = [
			[{}, null, 401],
			[{ authorization: 'Bearer wrong-token-wrong-token' }, null, 401],
			[{ authorization: `Bearer ${TOKEN}x` }, null, 401],
			[{ authorization: `Basic ${btoa('admin:x')}` }, null, 401],
			[{}, 'leader', 403],
			[{}, 'screen', 403],
			[{ authorization: `Bearer ${TOKEN}` }, null, 200],
			[{}, 'admin', 200],
			// a wrong token is refused even with an admin's session: the token was meant
			[{ authorization: 'Bearer wrong-token-wrong-token' }, 'admin', 401]
		];
		for (const [headers, role, status] of cases) {
			const res = await GET(metricsEvent(headers, role));
			expect(res.status, `${JSON.stringify(headers)} ${role}`).toBe(status);
			if (status === 200) expect(res.headers.get('content-type')).toContain('text/plain');
			else expect((await res.json()).error.code).toBe(status === 401 ? 'unauthenticated' : 'forbidden');
		}
	});

	it('without METRICS_TOKEN (or one too short to be a secret) no token opens it', () => {
		expect(metricsAccess('Bearer anything-at-all-long', null, undefined)).toBe('unauthenticated');
		expect(metricsAccess('Bearer short', null, 'short')).toBe('unauthenticated');
		expect(metricsAccess(null, 'admin', undefined)).toBe('ok');
	});
});

describe('what it says', () => {
	it('request latency is labelled by route id, method and status class — no raw path, id or query', async () => {
		for (const id of [12345, 67890]) await request(`/api/requests/${id}?phone=13812345678`, '/api/requests/[id]', () => Response.json({ id }));
		await request('/api/requests/99999', '/api/requests/[id]', () => Response.json({ error: { code: 'not_found', message: '不存在' } }, { status: 404 }));
		await request('/no/such/page/31337', null, () => new Response('not found', { status: 404 }));
		await request('/api/map/grids', '/api/map/grids', () => new Response(null, { status: 304 }));
		// noted where the answer is made (refuse, jsonFailure): not read back from the body
		await request('/api/map/meta', '/api/map/meta', () => refuse(401, 'unauthenticated', '请先登录'));
		await request('/api/boom', '/api/boom', () => Response.json({ error: { code: 'database_unavailable', message: '…' } }, { status: 503 }), 'POST');
		const text = await scrape();
		const http = text.split('\n').filter((l) => l.startsWith('http_'));
		expect(http).toContain('http_request_duration_seconds_count{route="/api/requests/[id]",method="GET",status_class="2xx"} 2');
		expect(http).toContain('http_request_duration_seconds_count{route="/api/requests/[id]",method="GET",status_class="4xx"} 1');
		expect(http).toContain('http_request_duration_seconds_count{route="unmatched",method="GET",status_class="4xx"} 1');
		expect(http).toContain('http_errors_total{route="/api/requests/[id]",status="404",code="not_found"} 1');
		expect(http).toContain('http_errors_total{route="unmatched",status="404",code="none"} 1');
		expect(http).toContain('http_errors_total{route="/api/boom",status="503",code="database_unavailable"} 1');
		expect(http).toContain('http_errors_total{route="/api/map/meta",status="401",code="unauthenticated"} 1');
		expect(http).toContain('http_not_modified_total{route="/api/map/grids"} 1');
		expect(http.some((l) => /_bucket\{le="0.005",route="\/api\/requests\/\[id\]"/.test(l))).toBe(true);
		// (the label sets only: a sample's value may hold any digits)
		const labels = http.map((l) => /\{[^}]*\}/.exec(l)?.[0] ?? '').join('\n');
		expect(labels).toContain('/api/requests/[id]');
		for (const raw of ['12345', '67890', '99999', '31337', '13812345678', 'phone']) expect(labels).not.toContain(raw);
		// prom-client's process metrics are there too
		expect(text).toMatch(/^process_cpu_seconds_total /m);
		expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
	});

	it('cache lookups by cache and result', async () => {
		const cache = new TtlCache<number>(60_000, 8, 'test_cache');
		await cache.get('a', async () => 1);
		await cache.get('a', async () => 2);
		await cache.get('b', async () => 3);
		const text = await scrape();
		expect(text).toContain('cache_lookups_total{cache="test_cache",result="hit"} 1');
		expect(text).toContain('cache_lookups_total{cache="test_cache",result="miss"} 2');
	});

	it('jobs: running while under way, then finished, failed or cancelled', async () => {
		const count = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
		const before = await scrape();
		const end = jobStarted('import');
		expect(count(await scrape(), /^jobs_running\{kind="import"\} (\d+)/m)).toBe(count(before, /^jobs_running\{kind="import"\} (\d+)/m) + 1);
		end('finished');
		end('failed'); // a second end is ignored
		await expect(trackJob('import_preview', async () => { throw new Error('bad file'); })).rejects.toThrow('bad file');
		const body = trackStream('export', new Response('a,b\n1,2\n').body!);
		expect(await new Response(body).text()).toBe('a,b\n1,2\n');
		const cancelled = trackStream('export', new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(1)) }));
		await cancelled.cancel();
		const after = await scrape();
		expect(count(after, /^jobs_running\{kind="import"\} (\d+)/m)).toBe(count(before, /^jobs_running\{kind="import"\} (\d+)/m));
		expect(count(after, /^jobs_total\{kind="import",outcome="finished"\} (\d+)/m)).toBe(count(before, /^jobs_total\{kind="import",outcome="finished"\} (\d+)/m) + 1);
		expect(after).toMatch(/^jobs_total\{kind="import_preview",outcome="failed"\} 1$/m);
		expect(after).toMatch(/^jobs_total\{kind="export",outcome="finished"\} 1$/m);
		expect(after).toMatch(/^jobs_total\{kind="export",outcome="cancelled"\} 1$/m);
		expect(after).toMatch(/^jobs_running\{kind="export"\} 0$/m);
	});
});
