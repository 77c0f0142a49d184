// 账号与安全: change one's password, and sign out on every device (退出所有设备).
import { fail, redirect } from '@sveltejs/kit';
import { clearSessionCookie, SESSION_COOKIE } from '$lib/server/auth/cookies';
import { changePassword } from '$lib/server/auth/password';
import { ownSessions, SESSION_IDLE_MINUTES, SESSION_HOURS } from '$lib/server/auth/session';
import { signOutEverywhere } from '$lib/server/auth/signout';
import { requireUser } from '$lib/server/auth/user';
import { ready } from '$lib/server/db/database';
import { asUser } from '$lib/server/access/userdb';
import { formFailure } from '$lib/server/http/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const sessions = await ownSessions(asUser(await ready(), user), user.id);
	return { user, sessions, idleMinutes: SESSION_IDLE_MINUTES, hours: SESSION_HOURS };
};

export const actions: Actions = {
	password: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const current = String(form.get('current') ?? '');
		const next = String(form.get('password') ?? '');
		if (next !== String(form.get('confirm') ?? '')) return fail(400, { field: 'confirm', message: '两次输入的新密码不一致' });
		try {
			await changePassword(await ready(), user, current, next, event.cookies.get(SESSION_COOKIE), event.getClientAddress());
		} catch (e) {
			return formFailure(e);
		}
		return { done: '密码已修改，其他设备上的登录已全部退出' };
	},
	logoutAll: async (event) => {
		const user = requireUser(event);
		await signOutEverywhere(await ready(), user, event.getClientAddress());
		clearSessionCookie(event.cookies, event.url);
		redirect(303, '/login');
	}
};
