// GET /api/visits/:id — the visit and its itinerary (null when none was saved) (四不两直: 404 for those who may not see it).
import { intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { getVisit } from '$lib/server/visits/store';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const id = intParam(event.params.id, 'id', '走访编号', 1, 2 ** 31);
	return jsonResponse({ visit: await getVisit(await dbFor(event), user, id) });
});
