// 账号与安全: change one's password, and sign out on every device (退出所有设备).
import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from '$lib/domain/apierror';
import { changePassword, endAllSessions, requireUser, SESSION_COOKIE, SESSION_IDLE_MINUTES, SESSION_HOURS } from '$lib/server/auth/index';
import { ready } from '$lib/server/db/database';
import { asUser } from '$lib/server/access/userdb';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	// as the user: row-level security of 0011 shows one's own sessions, never their token hashes
	const sessions = await asUser(await ready(), user).sql<{ created: Date; lastSeen: Date; ip: string | null }>`
		SELECT created_at AS created, last_seen_at AS "lastSeen", ip FROM sessions
		 WHERE user_id = ${user.id} AND expires_at > now() ORDER BY last_seen_at DESC LIMIT 20`;
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
			if (e instanceof ApiError) return fail(e.status, { field: e.field ?? null, message: e.message });
			throw e;
		}
		return { done: '密码已修改，其他设备上的登录已全部退出' };
	},
	logoutAll: async (event) => {
		const user = requireUser(event);
		const db = asUser(await ready(), user);
		await db.transaction(async (tx) => {
			const n = await endAllSessions(tx, user.id);
			await tx.sql`INSERT INTO audit_log (user_id, action, subject, ip, detail)
				VALUES (${user.id}, 'logout_all', ${'user:' + user.id}, ${event.getClientAddress()}, ${JSON.stringify({ sessions: n })}::jsonb)`;
		});
		event.cookies.delete(SESSION_COOKIE, { path: '/', secure: event.url.protocol === 'https:' });
		redirect(303, '/login');
	}
};
