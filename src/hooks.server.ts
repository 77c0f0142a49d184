import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { SESSION_COOKIE, userFromToken } from '$lib/server/auth/index';
import { open, ready, SeedingError } from '$lib/server/db/database';
import { installLogRedaction } from '$lib/server/logging';
import { screenMayOpen } from '$lib/server/screen/access';
import { crossSiteRefused } from '$lib/server/http/csrf';
import { guardRequest } from '$lib/server/http/guard';
import { databaseFaults, noteDatabaseFault } from '$lib/server/http/unavailable';

installLogRedaction();

// Open the database (and, on a fresh machine, start seeding the demo district) as the server
// starts, not on the first request, so the progress screen has something to show at once.
export const init: ServerInit = async () => {
	open().catch((e) => console.error('[db] could not open the database:', e));
};

/**
 * What anyone may open without signing in: the sign-in itself, the health check, and the open
 * standards (Open311, OGC API), which check their own API keys and publish only public views.
 */
const PUBLIC = [/^\/login(\/|$)/, /^\/logout$/, /^\/api\/status$/, /^\/open311\//, /^\/ogc(\/|$)/];
const isPublicPath = (path: string) => PUBLIC.some((p) => p.test(path));

const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), payment=(), usb=(), geolocation=(self)',
	'cross-origin-resource-policy': 'same-origin'
};

const refuse = (status: number, code: string, message: string) =>
	Response.json({ error: { code, message } }, { status, headers: SECURITY_HEADERS });

// an unreachable database answers 503 (src/lib/server/http/unavailable.ts), never 500
export const handle: Handle = (input) => databaseFaults(input.event, async () => handleRequest(input));

const handleRequest: Handle = async ({ event, resolve }) => {
	const { url, request } = event;
	if (crossSiteRefused(request, url)) {
		return refuse(403, 'csrf', '拒绝来自其他站点的请求（跨站请求伪造防护）');
	}

	event.locals.user = null;
	const token = event.cookies.get(SESSION_COOKIE);
	// the health check needs no user, and must say what it waits for while the database is away
	if (token && url.pathname !== '/api/status') {
		try {
			event.locals.user = await userFromToken(await ready(), token);
		} catch (e) {
			if (!(e instanceof SeedingError)) throw e;
		}
	}
	const path = url.pathname;
	const api = path.startsWith('/api/');
	if (!event.locals.user && !isPublicPath(path)) {
		if (api) return refuse(401, 'unauthenticated', '请先登录');
		return new Response(null, { status: 303, headers: { location: `/login?redirect=${encodeURIComponent(path + url.search)}` } });
	}
	// the wall display's credential sees aggregates only (src/lib/server/screen/access.ts)
	if (event.locals.user?.role === 'screen' && !screenMayOpen(path)) {
		if (api) return refuse(403, 'forbidden', '大屏账号只能查看汇总数据');
		return new Response(null, { status: 303, headers: { location: '/screen' } });
	}
	// anonymous bodies capped before they are read, NUL bytes refused naming the field
	const refused = await guardRequest(event, !!event.locals.user);
	if (refused) return refused;
	const response = await resolve(event);
	for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!response.headers.has(k)) response.headers.set(k, v);
	// both only mean something on https: over plain http (an intranet address) the browser ignores
	// COOP with a console error on every page, and HSTS must never be sent there
	if (url.protocol === 'https:') {
		response.headers.set('strict-transport-security', 'max-age=31536000');
		if (!response.headers.has('cross-origin-opener-policy')) response.headers.set('cross-origin-opener-policy', 'same-origin');
	}
	// signed-in answers carry someone's view of the data: never kept by a shared cache
	if (event.locals.user && !response.headers.get('cache-control')?.includes('private')) {
		const cc = response.headers.get('cache-control');
		response.headers.set('cache-control', cc ? `private, ${cc.replace(/\bpublic,?\s*/, '')}` : 'private, no-cache');
	}
	return response;
};

/** Unexpected errors: logged (redacted), answered with a message that gives nothing away. */
export const handleError: HandleServerError = ({ error, event }) => {
	if (noteDatabaseFault(error, event)) return { message: '数据库暂时不可用，请稍后重试', code: 'database_unavailable' };
	console.error(`[server] ${event.request.method} ${event.url.pathname}:`, error);
	return { message: '服务器内部错误，请稍后重试' };
};
