// Prometheus metrics (ops/metrics.ts): for a scraper with METRICS_TOKEN as a bearer token, or a
// signed-in admin; anyone else gets a JSON 401/403.
import type { RequestHandler } from './$types';
import { jsonResponse } from '$lib/server/http/respond';
import { exposition } from '$lib/server/ops/metrics';
import { noteErrorCode } from '$lib/server/ops/context';
import { metricsAccess } from '$lib/server/ops/metricsAccess';

export const GET: RequestHandler = async ({ request, locals }) => {
	const access = metricsAccess(request.headers.get('authorization'), locals.user?.role ?? null);
	if (access === 'unauthenticated') {
		noteErrorCode('unauthenticated');
		return jsonResponse({ error: { code: 'unauthenticated', message: '需要 METRICS_TOKEN 令牌（Authorization: Bearer …）或管理员登录' } }, 401, { 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' });
	}
	if (access === 'forbidden') {
		noteErrorCode('forbidden');
		return jsonResponse({ error: { code: 'forbidden', message: '只有管理员可以查看运行指标' } }, 403, { 'cache-control': 'no-store' });
	}
	const { body, contentType } = await exposition();
	return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
};
