import { redirect } from '@sveltejs/kit';
import { endSession, SESSION_COOKIE } from '$lib/server/auth';
import { ready } from '$lib/server/database';
import { asUser } from '$lib/server/access/userdb';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ cookies, locals, getClientAddress }) => {
	const db = await ready();
	await endSession(db, cookies.get(SESSION_COOKIE));
	if (locals.user) {
		await asUser(db, locals.user).sql`INSERT INTO audit_log (user_id, action, subject, ip) VALUES (${locals.user.id}, 'logout', ${'user:' + locals.user.id}, ${getClientAddress()})`;
	}
	cookies.delete(SESSION_COOKIE, { path: '/' });
	redirect(303, '/login');
};
