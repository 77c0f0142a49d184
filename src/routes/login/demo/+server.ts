// GET /login/demo?user=<username>&redirect=<path>: sign in as a demo account. Synthetic data only.
import { ApiError } from '$lib/domain/apierror';
import { createSession, findUser, isDemoDatabase, SCREEN_SESSION_HOURS, SESSION_HOURS, setSessionCookie } from '$lib/server/auth';
import { ready } from '$lib/server/database';
import { safeRedirect } from '$lib/server/demoAccounts';
import { api } from '$lib/server/queries/http';

export const GET = api(async ({ url, cookies }) => {
	const db = await ready();
	if (!(await isDemoDatabase(db))) throw new ApiError(403, 'forbidden', '演示登录仅用于演示数据，请使用账号密码登录');
	const username = url.searchParams.get('user') ?? '';
	const user = username && (await findUser(db, username));
	if (!user) throw new ApiError(400, 'invalid_param', `没有名为“${username}”的账号`, 'user');
	const { token, expires } = await createSession(db, user.id, user.role === 'screen' ? SCREEN_SESSION_HOURS : SESSION_HOURS);
	setSessionCookie(cookies, token, expires, url.protocol === 'https:');
	return new Response(null, { status: 303, headers: { location: safeRedirect(url.searchParams.get('redirect')) } });
});
