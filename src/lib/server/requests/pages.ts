// What the request-loop pages share on the server: sign-in redirect, reference lists, and
// turning an ApiError into a form failure that names the field.
import { fromDatabaseError } from '../http/respond';
import { error, fail, redirect } from '@sveltejs/kit';
import { ApiError } from '../../domain/apierror';
import type { SessionUser } from '../auth/index';
import type { Queryable } from '../db/client';

export function pageUser(event: { locals: App.Locals; url: URL }): SessionUser {
	const user = event.locals.user;
	if (!user) redirect(303, `/login?redirect=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	return user;
}

/** The signed-in admin, or a 403 page saying what only admins may do (`what`: 管理账号, …). */
export function adminUser(event: { locals: App.Locals; url: URL }, what: string): SessionUser {
	const user = pageUser(event);
	if (user.role !== 'admin') error(403, { message: `只有管理员可以${what}` });
	return user;
}

/** fail() with {message, field} for an ApiError; anything else is a real bug and rethrown. */
export function formFailure(e: unknown, values: Record<string, unknown> = {}) {
	const err = e instanceof ApiError ? e : fromDatabaseError(e);
	if (err) return fail(err.status >= 400 && err.status < 500 ? err.status : 400, { message: err.message, field: err.field ?? null, code: err.code, values });
	throw e;
}

export async function referenceLists(db: Queryable) {
	const [categories, departments, leaders, mediators] = await Promise.all([
		db.sql<{ code: string; name: string; parent: string }>`
			SELECT c.code, c.name, p.name AS parent FROM categories c JOIN categories p ON p.code = c.parent_code ORDER BY c.code`,
		db.sql<{ id: number; name: string }>`SELECT id, name FROM departments ORDER BY id`,
		db.sql<{ id: number; name: string }>`SELECT id, display_name || coalesce('（' || title || '）', '') AS name FROM users WHERE role = 'leader' AND active ORDER BY id`,
		db.sql<{ id: number; name: string }>`SELECT id, display_name AS name FROM users WHERE role = 'mediator' AND active ORDER BY id`
	]);
	return { categories, departments, leaders, mediators };
}
