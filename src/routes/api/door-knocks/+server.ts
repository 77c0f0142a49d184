// POST {householdId, note}: record a 敲门行动 visit now.
import { intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { recordDoorKnock } from '$lib/server/requests/households';
import { readJson } from '$lib/server/http/body';

export const POST = api(async (event) => {
	const user = requireUser(event, 'admin', 'grid_manager', 'leader');
	const b = await readJson(event.request);
	const id = intParam(b.householdId == null ? null : String(b.householdId), 'householdId', '住户编号', 1, Number.MAX_SAFE_INTEGER);
	const note = typeof b.note === 'string' ? b.note.trim() || null : null;
	return jsonResponse(await recordDoorKnock(await dbFor(event), user, id, note), 201);
});
