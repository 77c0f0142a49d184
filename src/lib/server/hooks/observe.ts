// The first handle: gives the request its id (X-Request-Id, honoured when sane), runs the rest
// inside that id's context so every log line carries it, then writes one access line and the
// request's metrics. Labels and the access line use SvelteKit's route id (/api/requests/[id]), never
// the path or the query string: no id, name or phone number becomes a label or a log field.
import type { Handle } from '@sveltejs/kit';
import { requestContext, requestIdFrom, type RequestContext } from '../ops/context';
import { log } from '../ops/log';
import { codeLabel, metrics, statusClass } from '../ops/metrics';

const UNMATCHED = 'unmatched';

/**
 * The API's error code of an answer with status ≥ 400: as noted where the answer was made
 * (http/respond.ts, http/unavailable.ts, hooks/headers.ts), else read back from a JSON body.
 */
async function errorCode(response: Response, noted: string | undefined): Promise<string | undefined> {
	if (noted) return noted;
	if (!response.headers.get('content-type')?.includes('application/json') || !response.body) return undefined;
	try {
		const body = await response.clone().json();
		return body?.error?.code;
	} catch {
		return undefined;
	}
}

export const observe: Handle = async ({ event, resolve }) => {
	const id = requestIdFrom(event.request.headers.get('x-request-id'));
	const started = performance.now();
	const route = event.route.id ?? UNMATCHED;
	const method = event.request.method;
	const context: RequestContext = { id };
	let response: Response;
	try {
		response = await requestContext.run(context, () => resolve(event));
	} catch (e) {
		// not expected (handleError answers what the app throws): still logged and counted as a 500
		requestContext.run({ id }, () => log.error({ route, method, err: e }, '[server] request failed'));
		metrics.httpDuration.observe({ route, method, status_class: '5xx' }, (performance.now() - started) / 1000);
		metrics.httpErrors.inc({ route, status: '500', code: 'none' });
		throw e;
	}
	const status = response.status;
	const code = status >= 400 ? codeLabel(await errorCode(response, context.errorCode)) : undefined;
	const seconds = (performance.now() - started) / 1000;
	metrics.httpDuration.observe({ route, method, status_class: statusClass(status) }, seconds);
	if (code) metrics.httpErrors.inc({ route, status: String(status), code });
	else if (status === 304) metrics.httpNotModified.inc({ route });
	try {
		response.headers.set('x-request-id', id);
	} catch {
		// an immutable Response (a fetched one passed through): copied, so it can carry the header
		response = new Response(response.body, response);
		response.headers.set('x-request-id', id);
	}
	const line = { reqId: id, method, route, status, ms: Math.round(seconds * 10000) / 10, userId: event.locals.user?.id ?? null, ...(code ? { code } : {}) };
	if (status >= 500) log.error(line, 'access');
	else log.info(line, 'access');
	return response;
};
