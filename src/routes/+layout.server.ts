// What every page's frame needs: who is signed in (name and role, for the navigation) and the theme.
import { parseTheme, THEME_COOKIE } from '$lib/theme';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, cookies }) => {
	const u = locals.user;
	return {
		theme: parseTheme(cookies.get(THEME_COOKIE)),
		shellUser: u ? { displayName: u.displayName, title: u.title, role: u.role } : null
	};
};
