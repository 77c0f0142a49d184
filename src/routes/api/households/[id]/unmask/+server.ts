// POST {reason}: the household's whole name, phone and ID number, logged in pii_access_log.
import { intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { parseReason, unmaskHousehold } from '$lib/server/pii/unmask';
import { api, jsonResponse } from '$lib/server/http/respond';

export const POST = api(async (event) => {
	const user = requireUser(event, 'grid_manager', 'admin');
	const id = intParam(event.params.id, 'id', '住户编号', 1, 2 ** 31 - 1);
	const reason = parseReason(await event.request.json().catch(() => null));
	const result = await unmaskHousehold(await dbFor(event), user, id, reason);
	return jsonResponse(result, 200, { 'cache-control': 'no-store' });
});
