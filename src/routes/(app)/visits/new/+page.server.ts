// 安排走访: stops from a saved research topic (调研课题), the leader's 包联 places, or points picked on the map.
import { dbFor } from '$lib/server/access/request';
import { viewerVersions } from '$lib/server/queries/versions';
import { pageUser } from '$lib/server/http/guards';
import { VISIT_PLANNERS } from '$lib/server/visits/itinerary';
import { stopSources } from '$lib/server/visits/sources';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser({ locals, url }, VISIT_PLANNERS);
	const db = await dbFor({ locals });
	const [sources, v] = await Promise.all([stopSources(db, user.id), viewerVersions(db)]);
	return { user, ...sources, basemap: `/api/map/basemap?v=${v.basemap}` };
};
