// One request with its history and 吹哨 summons; the ETag is its version, for If-Match on moves.
import { intParam, notFound } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { visibleGridCodes } from '$lib/server/auth/visibility';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { requestDetail } from '$lib/server/requests/detail';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const db = await dbFor(event);
	const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
	const r = await requestDetail(db, id);
	const grids = await visibleGridCodes(db, user);
	if (!r || (grids && !grids.includes(r.gridCode))) throw notFound(`诉求 ${id} 不存在或不在你的网格内`, 'id');
	return jsonResponse(r, 200, { etag: `"${r.version}"`, 'cache-control': 'no-store' });
});
