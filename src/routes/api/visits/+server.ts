// GET /api/visits: the visits this user may see. POST: compute the itinerary and save the visit.
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { parseItineraryRequest } from '$lib/server/visits/itinerary';
import { createVisit, listVisits, parseVisitMeta } from '$lib/server/visits/store';

export const GET = api(async (event) => {
	const user = requireUser(event);
	return jsonResponse({ visits: await listVisits(await dbFor(event), user) });
});

export const POST = api(async (event) => {
	const user = requireUser(event, 'leader', 'admin');
	const body = await event.request.json().catch(() => null);
	const meta = parseVisitMeta(body, user);
	const saved = await createVisit(await dbFor(event), user, meta, parseItineraryRequest(body));
	return jsonResponse({ id: saved.id, itinerary: saved.itinerary }, 201);
});
