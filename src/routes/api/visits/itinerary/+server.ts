// POST /api/visits/itinerary: order and time a day (走访路线/日程) without saving it.
// /api/visits/plan is the old URL, kept as an alias.
import { requireUser } from '$lib/server/auth/user';
import { api, jsonResponse } from '$lib/server/http/respond';
import { computeItinerary, parseItineraryRequest } from '$lib/server/visits/itinerary';

export const POST = api(async (event) => {
	requireUser(event, 'leader', 'admin');
	const body = await event.request.json().catch(() => null);
	return jsonResponse(await computeItinerary(parseItineraryRequest(body)));
});
