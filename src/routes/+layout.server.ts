// Data every page shares. mapArea: the signed-in user's own area, where every map opens
// (src/lib/map/MapView.svelte) and which grids it draws as theirs.
import { dbFor } from '$lib/server/access/request';
import { userArea } from '$lib/server/queries/userArea';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	// while the first start seeds, or the database is away, the page's own load answers for it
	const mapArea = locals.user ? await dbFor({ locals }).then(userArea).catch(() => null) : null;
	return { mapArea };
};
