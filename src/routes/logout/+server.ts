import { redirect } from '@sveltejs/kit';
import { endSession, SESSION_COOKIE } from '$lib/server/auth';
import { ready } from '$lib/server/database';

export const POST = async ({ cookies }) => {
	await endSession(await ready(), cookies.get(SESSION_COOKIE));
	cookies.delete(SESSION_COOKIE, { path: '/' });
	redirect(303, '/login');
};
