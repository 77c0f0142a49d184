// 催办 of one request. POST {message}: a reminder to the handling department (201), answered with
// its number and whether it went to the command centre too (from the second one on).
import { intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { readJson } from '$lib/server/http/body';
import { urge } from '$lib/server/requests/cases';

export const POST = api(async (event) => {
	const user = requireUser(event, 'admin', 'leader', 'grid_manager');
	const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
	return jsonResponse({ id, ...(await urge(await dbFor(event), user, id, (await readJson(event.request)).message)) }, 201);
});
