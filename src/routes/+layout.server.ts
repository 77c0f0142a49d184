// Data every page shares: who is signed in (name and role, for the navigation), the theme, and
// mapArea: the signed-in user's own area, where every map opens (src/lib/map/MapView.svelte) and
// which grids it draws as theirs.
import { dbFor } from '$lib/server/access/request';
import { userArea } from '$lib/server/queries/userArea';
import { parseTheme, THEME_COOKIE } from '$lib/theme';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, cookies }) => {
	const u = locals.user;
	// while the first start seeds, or the database is away, the page's own load answers for it
	const mapArea = u ? await dbFor({ locals }).then(userArea).catch(() => null) : null;
	return {
		theme: parseTheme(cookies.get(THEME_COOKIE)),
		shellUser: u ? { displayName: u.displayName, title: u.title, role: u.role } : null,
		mapArea
	};
};
