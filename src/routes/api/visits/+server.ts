// GET /api/visits?from&to&type&leader&page: a page of the visits this user may see, the total and
// the counts by 四下基层 type. POST: compute the itinerary and save the visit.
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { parseItineraryRequest } from '$lib/server/visits/itinerary';
import { createVisit, listVisits, parseVisitMeta } from '$lib/server/visits/store';
import { parseVisitFilter } from '$lib/domain/visits';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const list = await listVisits(await dbFor(event), user, parseVisitFilter(event.url.searchParams));
	return jsonResponse({ visits: list.rows, total: list.total, page: list.page, pageSize: list.pageSize, pages: list.pages, byType: list.byType });
});

export const POST = api(async (event) => {
	const user = requireUser(event, 'leader', 'admin');
	const body = await event.request.json().catch(() => null);
	const meta = parseVisitMeta(body, user);
	const saved = await createVisit(await dbFor(event), user, meta, parseItineraryRequest(body));
	return jsonResponse({ id: saved.id, itinerary: saved.itinerary }, 201);
});
