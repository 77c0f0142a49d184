// GET /api/research-plans: the leader's saved 调研课题 (admins: all). POST: save one
// {topic, notes, settings, sites: [{gridCode, role: study|contrast, reason}]} → 201 {id, visitUrl}.
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { listPlans, parsePlanInput, savePlan } from '$lib/server/hotspots/plans';
import { api, jsonResponse } from '$lib/server/http/respond';

export const GET = api(async (event) => {
	const user = requireUser(event, 'leader', 'admin');
	return jsonResponse({ plans: await listPlans(await dbFor(event), user.role === 'admin' ? null : user.id) });
});

export const POST = api(async (event) => {
	const user = requireUser(event, 'leader', 'admin');
	const body = await event.request.json().catch(() => null);
	const id = await savePlan(await dbFor(event), user.id, parsePlanInput(body));
	return jsonResponse({ id, url: `/research/${id}`, visitUrl: `/visits/new?plan=${id}` }, 201);
});
