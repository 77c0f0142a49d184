// POST /api/visits/:id/order {order: [stop ids], locked: [stop ids]} — save a hand-arranged route.
import { badParam, intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { reorderVisit } from '$lib/server/visits/store';

export const POST = api(async (event) => {
	const user = requireUser(event, 'leader', 'admin');
	const id = intParam(event.params.id, 'id', '走访编号', 1, 2 ** 31);
	const body = await event.request.json().catch(() => null);
	if (!Array.isArray(body?.order) || !body.order.length) throw badParam('order', '请给出走访点顺序（order）');
	const locked = Array.isArray(body.locked) ? body.locked.map(String) : [];
	return jsonResponse(await reorderVisit(await dbFor(event), user, id, body.order.map(String), locked));
});
