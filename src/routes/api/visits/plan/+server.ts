// POST /api/visits/plan: order and time a day without saving it.
import { requireUser } from '$lib/server/auth/user';
import { api, jsonResponse } from '$lib/server/http/respond';
import { parsePlanRequest, planDay } from '$lib/server/visits/plan';

export const POST = api(async (event) => {
	requireUser(event, 'leader', 'admin');
	const body = await event.request.json().catch(() => null);
	return jsonResponse(await planDay(parsePlanRequest(body)));
});
