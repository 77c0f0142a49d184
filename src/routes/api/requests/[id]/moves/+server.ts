// POST {action, reason, …} with If-Match: "<version>" and optionally Idempotency-Key: one move of
// the loop. 409 when someone else moved it first, 422 when the move is not allowed now.
import { intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { readJson } from '$lib/server/http/body';
import { parseMove } from '$lib/server/requests/http';
import { moveRequest } from '$lib/server/requests/transition';

export const POST = api(async (event) => {
	const user = requireUser(event, 'admin', 'grid_manager', 'leader', 'department_staff', 'mediator');
	const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
	const move = parseMove(id, await readJson(event.request), event.request.headers);
	const result = await moveRequest(await dbFor(event), user, move);
	return jsonResponse(result, 200, { etag: `"${result.version}"` });
});
