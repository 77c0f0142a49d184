// 热点分析 and 解剖麻雀 选点: the page renders filters and panels; the analyses come from
// /api/hotspots* so that a changed filter never reloads the page.
import { dbFor } from '$lib/server/access/request';
import { categoryCodes } from '$lib/server/hotspots/http';
import { viewerVersions } from '$lib/server/queries/versions';
import { pageUser } from '$lib/server/http/guards';
import { mapArea } from '$lib/server/queries/userArea';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser({ locals, url });
	const db = await dbFor({ locals });
	const [{ list }, v] = await Promise.all([categoryCodes(db), viewerVersions(db)]);
	return {
		user: { name: user.displayName, role: user.role },
		canPlan: user.role === 'leader' || user.role === 'admin',
		categories: list,
		basemap: `/api/map/basemap?v=${v.basemap}`,
		gridsUrl: `/api/map/grids?v=${v.grids}`,
		mapArea: await mapArea({ locals })
	};
};
