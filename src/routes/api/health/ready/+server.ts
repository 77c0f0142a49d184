// Readiness: 200 only when the database answers, is migrated and seeded (ops/readiness.ts); else
// 503 with {status: 'not_ready', reason, message}. For load balancers and orchestrators.
import { open } from '$lib/server/db/database';
import { api, jsonResponse } from '$lib/server/http/respond';
import { readiness } from '$lib/server/ops/readiness';

export const GET = api(async () => {
	void open(); // as /api/status: a fresh process starts opening on the first probe
	const r = await readiness();
	if (r.ready) return jsonResponse({ status: 'ready', backend: r.backend }, 200, { 'cache-control': 'no-store' });
	const { ready: _, ...why } = r;
	return jsonResponse({ status: 'not_ready', ...why }, 503, { 'cache-control': 'no-store', 'retry-after': '2' });
});
