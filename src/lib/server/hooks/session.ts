// Who is asking: locals.user from the session cookie, or null. Identifies only; gates.ts decides.
import type { Handle } from '@sveltejs/kit';
import { SESSION_COOKIE } from '../auth/cookies';
import { userFromToken } from '../auth/session';
import { ready, SeedingError } from '../db/database';

const HEALTH = new Set(['/api/status', '/api/health/live', '/api/health/ready']);

export const session: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	const token = event.cookies.get(SESSION_COOKIE);
	// the health checks need no user, and must say what they wait for while the database is away
	if (token && !HEALTH.has(event.url.pathname)) {
		try {
			event.locals.user = await userFromToken(await ready(), token);
		} catch (e) {
			// while the demo district is being seeded nobody is signed in yet
			if (!(e instanceof SeedingError)) throw e;
		}
	}
	return resolve(event);
};
