// Which paths a request may open: signed out only the public ones, the wall display only its own.
import type { Handle } from '@sveltejs/kit';
import { screenMayOpen } from '../screen/access';
import { guardRequest } from '../http/guard';
import { refuse } from './headers';

/**
 * What anyone may open without signing in: the sign-in itself, the health checks, the metrics
 * (which check their own token or an admin's session), and the open standards (Open311, OGC API),
 * which check their own API keys and publish only public views, and 网上点单 (/r: the residents'
 * own channel, which goes through its own SECURITY DEFINER functions, 0027).
 */
const PUBLIC = [/^\/r(\/|$)/, /^\/login(\/|$)/, /^\/logout$/, /^\/api\/status$/, /^\/api\/health\/(live|ready)$/, /^\/metrics$/, /^\/open311\//, /^\/ogc(\/|$)/];
const isPublicPath = (path: string) => PUBLIC.some((p) => p.test(path));
const isApi = (path: string) => path.startsWith('/api/');
const seeOther = (location: string) => new Response(null, { status: 303, headers: { location } });

export const signInGate: Handle = ({ event, resolve }) => {
	const { pathname, search } = event.url;
	if (event.locals.user || isPublicPath(pathname)) return resolve(event);
	if (isApi(pathname)) return refuse(401, 'unauthenticated', '请先登录');
	return seeOther(`/login?redirect=${encodeURIComponent(pathname + search)}`);
};

/** The wall display's credential sees aggregates only (screen/access.ts). */
export const screenGate: Handle = ({ event, resolve }) => {
	const path = event.url.pathname;
	if (event.locals.user?.role !== 'screen' || screenMayOpen(path)) return resolve(event);
	if (isApi(path)) return refuse(403, 'forbidden', '大屏账号只能查看汇总数据');
	return seeOther('/screen');
};

/** Anonymous bodies capped before they are read, NUL bytes refused naming the field (http/guard.ts). */
export const bodyGuard: Handle = async ({ event, resolve }) => (await guardRequest(event, !!event.locals.user)) ?? resolve(event);
