// 登录: a password form, and on the synthetic demo district one-click demo accounts per role.
import { fail, redirect } from '@sveltejs/kit';
import { createSession, findUser, isDemoDatabase, setSessionCookie, verifyPassword } from '$lib/server/auth';
import { ready } from '$lib/server/database';
import { demoAccounts, safeRedirect } from '$lib/server/demoAccounts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const db = await ready();
	const demo = await isDemoDatabase(db);
	return { user: locals.user, redirectTo: safeRedirect(url.searchParams.get('redirect')), demo: demo ? await demoAccounts(db) : [] };
};

export const actions: Actions = {
	default: async ({ request, cookies, url }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '').trim();
		const password = String(form.get('password') ?? '');
		if (!username) return fail(400, { field: 'username', message: '请输入用户名', username });
		if (!password) return fail(400, { field: 'password', message: '请输入密码', username });
		const db = await ready();
		const user = await findUser(db, username);
		if (!user || !(await verifyPassword(password, user.passwordHash))) {
			return fail(400, { field: 'password', message: '用户名或密码不正确', username });
		}
		const { token, expires } = await createSession(db, user.id);
		setSessionCookie(cookies, token, expires, url.protocol === 'https:');
		redirect(303, safeRedirect(url.searchParams.get('redirect')));
	}
};
