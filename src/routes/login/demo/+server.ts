// GET /login/demo?user=<username>&redirect=<path>: sign in as a demo account. Synthetic data only;
// a locked account stays locked, and the sign-in is audited with the address (auth_demo_sign_in, 0011).
import { ApiError } from '$lib/domain/apierror';
import { demoSignIn } from '$lib/server/auth/signin';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { ready } from '$lib/server/db/database';
import { safeRedirect } from '$lib/server/demoAccounts';
import { api } from '$lib/server/http/respond';

export const GET = api(async ({ url, cookies, getClientAddress }) => {
	const db = await ready();
	// No per-address limit here: it guards password guessing, and a demo sign-in has no password to
	// guess (a class trying the demo behind one intranet address would lock itself out). The account
	// lock still holds (auth_demo_sign_in).
	const ip = getClientAddress();
	const username = url.searchParams.get('user') ?? '';
	const r = await demoSignIn(db, username, ip);
	if (!r.ok) {
		if (r.code === 'not_demo') throw new ApiError(403, 'forbidden', r.message);
		if (r.code === 'locked') throw new ApiError(423, 'locked', r.message);
		throw new ApiError(400, 'invalid_param', r.message, 'user');
	}
	setSessionCookie(cookies, r.token, r.expires, url.protocol === 'https:');
	return new Response(null, { status: 303, headers: { location: safeRedirect(url.searchParams.get('redirect')) } });
});
