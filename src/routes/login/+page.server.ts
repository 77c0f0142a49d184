// 登录: a password form, and on the synthetic demo district one-click demo accounts per role.
// Failed attempts are limited per address (20 in 10 minutes, counted in the database: limits.ts);
// failures per account slow down and then lock the account (auth/signin.ts, auth/throttle.ts).
import { fail, redirect } from '@sveltejs/kit';
import { isDemoDatabase, signIn } from '$lib/server/auth/signin';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { ready, SeedingError } from '$lib/server/db/database';
import { demoAccounts, safeRedirect } from '$lib/server/demoAccounts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const redirectTo = safeRedirect(url.searchParams.get('redirect'));
	try {
		const db = await ready();
		const demo = await isDemoDatabase(db);
		return { user: locals.user, redirectTo, demo: demo ? await demoAccounts(db) : [], seeding: null };
	} catch (e) {
		if (!(e instanceof SeedingError)) throw e;
		return { user: null, redirectTo, demo: [], seeding: e.progress };
	}
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress, setHeaders }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '').trim().slice(0, 64);
		const password = String(form.get('password') ?? '');
		if (!username) return fail(400, { field: 'username', message: '请输入用户名', username });
		if (!password) return fail(400, { field: 'password', message: '请输入密码', username });
		if (password.length > 200) return fail(400, { field: 'password', message: '密码不能超过 200 个字符', username });
		const ip = getClientAddress();
		const db = await ready();
		const result = await signIn(db, username, password, ip);
		if (!result.ok && result.code === 'rate_limited') {
			setHeaders({ 'retry-after': String(result.retryAfterS) });
			return fail(429, { field: 'username', message: result.message, username });
		}
		if (!result.ok) return fail(result.code === 'locked' ? 423 : 400, { field: 'password', message: result.message, username });
		setSessionCookie(cookies, result.token, result.expires, url.protocol === 'https:');
		redirect(303, safeRedirect(url.searchParams.get('redirect')));
	}
};
