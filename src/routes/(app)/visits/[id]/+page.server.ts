// One visit: the itinerary (timed route) on a map, adjustments while planned, exports, and the
// 走找想促 outcome. A visit recorded without an itinerary shows its recorded stops instead.
import { intParam } from '$lib/domain/apierror';
import { dbFor } from '$lib/server/access/request';
import { categoryPaths, departments, visitPeople } from '$lib/server/queries/reference';
import { viewerVersions } from '$lib/server/queries/versions';
import { visitOutcome } from '$lib/server/visits/outcome';
import { pageCall, pageUser } from '$lib/server/http/guards';
import { getVisit, recordedStops } from '$lib/server/visits/store';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = pageUser({ locals, url });
	const db = await dbFor({ locals });
	const visit = await pageCall(async () => getVisit(db, user, intParam(params.id, 'id', '走访编号', 1, 2 ** 31)));
	const [outcome, categories, people, departmentList, v, stops] = await Promise.all([
		visitOutcome(db, visit.id), categoryPaths(db), visitPeople(db), departments(db), viewerVersions(db),
		visit.itinerary ? [] : recordedStops(db, visit.id)
	]);
	const owner = user.role === 'admin' || visit.leader_id === user.id;
	return { user, visit, stops, outcome, categories, people, departments: departmentList, owner, basemap: `/api/map/basemap?v=${v.basemap}` };
};
