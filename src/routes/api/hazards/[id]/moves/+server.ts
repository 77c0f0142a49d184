// POST {action, note, departmentId, photos} with If-Match: "<version>" and optionally
// Idempotency-Key: one move of the hazard loop (assign, start, rectify, close, reopen; or
// {action: 'reinspect', result: 'pass' | 'fail'}). 409 when someone moved it first, 422 when not allowed now.
import { intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { readJson } from '$lib/server/http/body';
import { parseHazardMoveInput } from '$lib/server/hazards/http';
import { moveHazard } from '$lib/server/hazards/transition';

export const POST = api(async (event) => {
	const user = requireUser(event, 'admin', 'grid_manager', 'leader', 'department_staff');
	const id = intParam(event.params.id, 'id', '隐患编号', 1, 2_147_483_647);
	const move = parseHazardMoveInput(id, await readJson(event.request), event.request.headers);
	const result = await moveHazard(await dbFor(event), user, move);
	return jsonResponse(result, 200, { etag: `"${result.version}"` });
});
