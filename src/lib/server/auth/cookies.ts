// The session cookie: HttpOnly, SameSite=Lax, Secure only on https (a browser on plain http, an
// intranet address, ignores a Secure cookie and would never sign in).
import type { Cookies } from '@sveltejs/kit';

export const SESSION_COOKIE = 'gg_session';

export function setSessionCookie(cookies: Cookies, token: string, expires: Date, secure: boolean) {
	cookies.set(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires });
}

/** As set: SvelteKit's default would be Secure, which a browser on plain http ignores, leaving the dead cookie behind. */
export function clearSessionCookie(cookies: Cookies, url: URL) {
	cookies.delete(SESSION_COOKIE, { path: '/', secure: url.protocol === 'https:' });
}
