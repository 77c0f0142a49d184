import type { Handle, ServerInit } from '@sveltejs/kit';
import { SESSION_COOKIE, userFromToken } from '$lib/server/auth';
import { open, ready, SeedingError } from '$lib/server/database';
import { screenMayOpen } from '$lib/server/screen/access';
import { crossSiteFormBlocked } from '$lib/server/csrf';

// Open the database (and, on a fresh machine, start seeding the demo district) as the server
// starts, not on the first request, so the progress screen has something to show at once.
export const init: ServerInit = async () => {
	open().catch((e) => console.error('[db] could not open the database:', e));
};

/** Identifies the request's user from the session cookie; nothing else. */
export const handle: Handle = async ({ event, resolve }) => {
	if (crossSiteFormBlocked(event.request, event.url)) {
		return new Response(`Cross-site ${event.request.method} form submissions are forbidden`, { status: 403 });
	}
	event.locals.user = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		try {
			event.locals.user = await userFromToken(await ready(), token);
		} catch (e) {
			if (!(e instanceof SeedingError)) throw e;
		}
	}
	// the wall display's credential sees aggregates only (src/lib/server/screen/access.ts)
	if (event.locals.user?.role === 'screen' && !screenMayOpen(event.url.pathname)) {
		if (event.url.pathname.startsWith('/api/')) {
			return Response.json({ error: { code: 'forbidden', message: '大屏账号只能查看汇总数据' } }, { status: 403 });
		}
		return new Response(null, { status: 303, headers: { location: '/screen' } });
	}
	return resolve(event);
};
