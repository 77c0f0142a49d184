import { redirect } from '@sveltejs/kit';
import { clearSessionCookie, SESSION_COOKIE } from '$lib/server/auth/cookies';
import { signOut } from '$lib/server/auth/signout';
import { ready } from '$lib/server/db/database';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ cookies, locals, getClientAddress, url }) => {
	await signOut(await ready(), locals.user, cookies.get(SESSION_COOKIE), getClientAddress());
	clearSessionCookie(cookies, url);
	redirect(303, '/login');
};
