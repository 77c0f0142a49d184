// Security headers on every answer the app renders (and on the hooks' own refusals).
import type { Handle } from '@sveltejs/kit';
import { withMapOrigins } from '../../domain/csp';
import { basemapConfig } from '../map/basemapConfig';
import { noteErrorCode } from '../ops/context';

export const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), payment=(), usb=(), geolocation=(self)',
	'cross-origin-resource-policy': 'same-origin'
};

/** A hook's own refusal: the API's error shape, with the security headers. */
export const refuse = (status: number, code: string, message: string) => {
	noteErrorCode(code);
	return Response.json({ error: { code, message } }, { status, headers: SECURITY_HEADERS });
};

export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!response.headers.has(k)) response.headers.set(k, v);
	const csp = response.headers.get('content-security-policy');
	if (csp) response.headers.set('content-security-policy', withMapOrigins(csp, basemapConfig().origins));
	// both only mean something on https: over plain http (an intranet address) the browser ignores
	// COOP with a console error on every page, and HSTS must never be sent there
	if (event.url.protocol === 'https:') {
		response.headers.set('strict-transport-security', 'max-age=31536000');
		if (!response.headers.has('cross-origin-opener-policy')) response.headers.set('cross-origin-opener-policy', 'same-origin');
	}
	return response;
};
