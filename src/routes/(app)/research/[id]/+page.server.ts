// One 调研课题: sites with role and reason on a map, notes, the settings that chose them, and
// the hand-over to the visit planner (/visits/new lists this research topic and imports its sites).
import { intParam } from '$lib/domain/apierror';
import { dbFor } from '$lib/server/access/request';
import { getResearchTopic } from '$lib/server/research/topics';
import { viewerVersions } from '$lib/server/queries/versions';
import { pageCall, pageUser } from '$lib/server/http/guards';
import { VISIT_PLANNERS } from '$lib/server/visits/itinerary';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = pageUser({ locals, url }, VISIT_PLANNERS);
	const db = await dbFor({ locals });
	const researchTopic = await pageCall(() => getResearchTopic(db, intParam(params.id, 'id', '调研课题编号', 1, 2 ** 31 - 1), user));
	return { researchTopic, basemap: `/api/map/basemap?v=${(await viewerVersions(db)).basemap}` };
};
