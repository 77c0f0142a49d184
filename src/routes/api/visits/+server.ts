// GET /api/visits: the visits this user may see. POST: plan and save a visit.
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { parsePlanRequest } from '$lib/server/visits/plan';
import { createVisit, listVisits, parseVisitMeta } from '$lib/server/visits/store';

export const GET = api(async (event) => {
	const user = requireUser(event);
	return jsonResponse({ visits: await listVisits(await dbFor(event), user) });
});

export const POST = api(async (event) => {
	const user = requireUser(event, 'leader', 'admin');
	const body = await event.request.json().catch(() => null);
	const meta = parseVisitMeta(body, user);
	const saved = await createVisit(await dbFor(event), user, meta, parsePlanRequest(body));
	return jsonResponse({ id: saved.id, plan: saved.plan }, 201);
});
