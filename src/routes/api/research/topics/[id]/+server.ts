// GET /api/research/topics/:id (old URL /api/research-plans/:id): one 调研课题 with its sites, roles and reasons.
import { intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { getResearchTopic } from '$lib/server/research/topics';
import { api, jsonResponse } from '$lib/server/http/respond';

export const GET = api(async (event) => {
	const user = requireUser(event, 'leader', 'admin');
	return jsonResponse(await getResearchTopic(await dbFor(event), intParam(event.params.id, 'id', '调研课题编号', 1, 2 ** 31 - 1), user));
});
