// GET /api/visits/:id/outcome — the 走找想促 loop measured. POST — record findings and decisions.
import { intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { parseOutcome, recordOutcome, visitOutcome } from '$lib/server/visits/outcome';
import { getVisit } from '$lib/server/visits/store';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const id = intParam(event.params.id, 'id', '走访编号', 1, 2 ** 31);
	const db = await dbFor(event);
	await getVisit(db, user, id);
	return jsonResponse(await visitOutcome(db, id));
});

export const POST = api(async (event) => {
	const user = requireUser(event, 'leader', 'admin');
	const id = intParam(event.params.id, 'id', '走访编号', 1, 2 ** 31);
	const body = await event.request.json().catch(() => null);
	return jsonResponse(await recordOutcome(await dbFor(event), user, id, parseOutcome(body)), 201);
});
