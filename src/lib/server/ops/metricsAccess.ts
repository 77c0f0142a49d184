// Who may read /metrics: a scraper with the bearer token of METRICS_TOKEN, or a signed-in admin.
// Without METRICS_TOKEN only admins can. The token is compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'ok' | 'unauthenticated' | 'forbidden';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `authorization`: the request's header; `role`: the signed-in user's role, or null. */
export function metricsAccess(authorization: string | null, role: string | null, token = process.env.METRICS_TOKEN): MetricsAccess {
	const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
	if (bearer) return token && token.length >= 16 && timingSafeEqual(digest(bearer), digest(token)) ? 'ok' : 'unauthenticated';
	if (role === 'admin') return 'ok';
	return role ? 'forbidden' : 'unauthenticated';
}
