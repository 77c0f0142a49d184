// Cross-site state changes refused before anything else reads the request (http/csrf.ts).
import type { Handle } from '@sveltejs/kit';
import { crossSiteRefused } from '../http/csrf';
import { refuse } from './headers';

export const csrf: Handle = ({ event, resolve }) => {
	if (crossSiteRefused(event.request, event.url)) return refuse(403, 'csrf', '拒绝来自其他站点的请求（跨站请求伪造防护）');
	return resolve(event);
};
