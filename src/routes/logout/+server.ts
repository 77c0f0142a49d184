import { redirect } from '@sveltejs/kit';
import { endSession, SESSION_COOKIE } from '$lib/server/auth/index';
import { ready } from '$lib/server/db/database';
import { asUser } from '$lib/server/access/userdb';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ cookies, locals, getClientAddress, url }) => {
	const db = await ready();
	await endSession(db, cookies.get(SESSION_COOKIE));
	if (locals.user) {
		await asUser(db, locals.user).sql`INSERT INTO audit_log (user_id, action, subject, ip) VALUES (${locals.user.id}, 'logout', ${'user:' + locals.user.id}, ${getClientAddress()})`;
	}
	// as set: Secure only on https (SvelteKit's default would be Secure, which a browser on plain
	// http ignores, leaving the dead cookie behind)
	cookies.delete(SESSION_COOKIE, { path: '/', secure: url.protocol === 'https:' });
	redirect(303, '/login');
};
