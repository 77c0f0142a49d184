// Data every page shares: who is signed in (name and role, for the navigation) and the theme.
// The user's map area is loaded only by the pages that show a map (mapArea of queries/userArea.ts).
import { parseTheme, THEME_COOKIE } from '$lib/theme';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, cookies }) => {
	const u = locals.user;
	return {
		theme: parseTheme(cookies.get(THEME_COOKIE)),
		// username: whose outbox (src/lib/client/outbox.ts) this browser sends
		shellUser: u ? { username: u.username, displayName: u.displayName, title: u.title, role: u.role } : null
	};
};
