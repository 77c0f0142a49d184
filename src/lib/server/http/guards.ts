// Page-side guards: who may open a page (a sign-in redirect, a 403 page naming who may), and the
// one error mapper (errors.ts) turned into what a load or a form action answers.
import { error, fail, redirect } from '@sveltejs/kit';
import type { Role, SessionUser } from '../auth/user';
import { toApiError } from './errors';

type PageEvent = { locals: App.Locals; url: URL };

/** The signed-in user (else a redirect to the sign-in); with `only`, a 403 page for other roles. */
export function pageUser(event: PageEvent, only?: { roles: readonly Role[]; refusal: string }): SessionUser {
	const user = event.locals.user;
	if (!user) redirect(303, `/login?redirect=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	if (only && !only.roles.includes(user.role)) error(403, { message: only.refusal });
	return user;
}

/** The signed-in admin, or a 403 page saying what only admins may do (`what`: 管理账号, …). */
export function adminUser(event: PageEvent, what: string): SessionUser {
	return pageUser(event, { roles: ['admin'], refusal: `只有管理员可以${what}` });
}

/** For a form action: fail() with {message, field, code, values} the form shows; a real bug is rethrown. */
export function formFailure(e: unknown, values: Record<string, unknown> = {}) {
	const err = toApiError(e);
	if (err) return fail(err.status >= 400 && err.status < 500 ? err.status : 400, { message: err.message, field: err.field ?? null, code: err.code, values });
	throw e;
}

/** For a load: what `fn` refuses becomes an error page with its status and message; a real bug is rethrown. */
export async function pageCall<T>(fn: () => T | Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (e) {
		const err = toApiError(e);
		if (err) error(err.status, { message: err.message, code: err.code, field: err.field });
		throw e;
	}
}

/** A posted form's text fields (files left out): what the parsers read and formFailure sends back. */
export const formText = (form: FormData): Record<string, string> =>
	Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;

/**
 * A form action: the signed-in user of `only`'s roles (else a 403 page), the posted text fields,
 * and `run`'s message as { done }; what `run` refuses comes back through formFailure with the
 * values as entered. E is the route's RequestEvent (`formAction<RequestEvent>(…)`).
 */
export const formAction =
	<E extends PageEvent & { request: Request }>(only: { roles: readonly Role[]; refusal: string }, run: (values: Record<string, string>, event: E, user: SessionUser) => Promise<string>) =>
	async (event: E) => {
		const user = pageUser(event, only);
		const values = formText(await event.request.formData());
		try {
			return { done: await run(values, event, user) };
		} catch (e) {
			return formFailure(e, values);
		}
	};
