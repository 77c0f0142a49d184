// Page-side helpers: sign-in redirect for pages, and an API error turned into a page error.
import { error, redirect } from '@sveltejs/kit';
import { ApiError } from '../../domain/apierror';
import type { SessionUser } from '../auth/index';

export function pageUser(locals: App.Locals, url: URL, leaderOnly = false): SessionUser {
	const user = locals.user;
	if (!user) redirect(303, `/login?redirect=${encodeURIComponent(url.pathname + url.search)}`);
	if (leaderOnly && user.role !== 'leader' && user.role !== 'admin') error(403, { message: '只有领导和管理员可以安排走访' });
	return user;
}

export async function pageCall<T>(fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (e) {
		if (e instanceof ApiError) error(e.status, { message: e.message, code: e.code, field: e.field });
		throw e;
	}
}
