// One hazard with its history and photos; the ETag is its version, for If-Match on moves.
import { intParam, notFound } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { hazardDetail } from '$lib/server/hazards/detail';
import { offeredHazardMoves } from '$lib/server/hazards/transition';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const id = intParam(event.params.id, 'id', '隐患编号', 1, 2_147_483_647);
	// row-level security decides: another grid's hazard is not there for this user
	const h = await hazardDetail(await dbFor(event), id);
	if (!h) throw notFound(`隐患 ${id} 不存在或不在你的范围内`, 'id');
	return jsonResponse({ ...h, actions: offeredHazardMoves(user, h) }, 200, { etag: `"${h.version}"`, 'cache-control': 'no-store' });
});
