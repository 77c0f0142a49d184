// The answer while the database cannot be reached: 503, for /api a JSON error
// {error: {code: 'database_unavailable', message}}, for pages a small Chinese page that retries by
// itself. Never a 500 and never a crash: the pool reconnects on its own once PostgreSQL is back.
import type { RequestEvent } from '@sveltejs/kit';
import { DatabaseUnavailableError, waiting } from '../db/database';
import { isDatabaseUnavailable } from '../db/client';
import { noteErrorCode } from '../ops/context';

export const UNAVAILABLE = { code: 'database_unavailable', message: '数据库暂时不可用，请稍后重试' } as const;
export const UNAVAILABLE_RETRY_S = 5;
const RETRY_AFTER_S = UNAVAILABLE_RETRY_S;

/** The /api answer. */
export function unavailableJson(): Response {
	noteErrorCode(UNAVAILABLE.code);
	return Response.json({ error: UNAVAILABLE }, { status: 503, headers: { 'cache-control': 'no-store', 'retry-after': String(RETRY_AFTER_S) } });
}

/** The page answer: static, no script, reloads itself every few seconds. */
export function unavailablePage(): Response {
	const w = waiting();
	const detail = w ? `正在等待数据库…（已尝试 ${w.attempts} 次）` : '数据库连接中断，正在自动重连。';
	const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_AFTER_S}"><title>数据库暂时不可用 · 网格治理地图</title>
<style>body{max-width:520px;margin:18vh auto;padding:32px;font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;color:#223}
h1{font-size:24px;margin:0 0 12px}p{color:#556;line-height:1.6}</style></head>
<body><main data-testid="database-unavailable"><h1>数据库暂时不可用</h1>
<p>${detail}</p><p>页面将在 ${RETRY_AFTER_S} 秒后自动重试。如果刚才提交了表单，内容没有保存，请在恢复后重新提交。</p></main></body></html>`;
	return new Response(html, {
		status: 503,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'retry-after': String(RETRY_AFTER_S),
			'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
			'x-content-type-options': 'nosniff',
			'x-frame-options': 'DENY'
		}
	});
}

const answer = (event: RequestEvent) => (event.url.pathname.startsWith('/api/') ? unavailableJson() : unavailablePage());

// requests whose rendering hit an unreachable database (handleError saw it): their 500 becomes a 503
const hit = new WeakSet<Request>();

/**
 * For handleError: true when `error` means the database is unreachable. The request is then
 * answered by databaseFaults with a 503, and the error is not logged again (db.ts logs an outage once).
 */
export function noteDatabaseFault(error: unknown, event: RequestEvent): boolean {
	if (!(error instanceof DatabaseUnavailableError) && !isDatabaseUnavailable(error)) return false;
	hit.add(event.request);
	return true;
}

/**
 * Runs the request's handling; when it threw because the database is unreachable, or answered a
 * 5xx after a load or endpoint hit that (noteDatabaseFault), answers with the 503 instead.
 */
export async function databaseFaults(event: RequestEvent, handle: () => Promise<Response>): Promise<Response> {
	let response: Response;
	try {
		response = await handle();
	} catch (e) {
		if (e instanceof DatabaseUnavailableError || isDatabaseUnavailable(e)) return answer(event);
		throw e;
	}
	if (response.status >= 500 && hit.has(event.request)) return answer(event);
	return response;
}
