// One request: its history, its 吹哨 summons, and the moves this user may make now. Each move
// form carries the version the user saw, so a stale page gets a clear conflict, not an overwrite.
import { error, redirect } from '@sveltejs/kit';
import { intParam } from '$lib/domain/apierror';
import { visibleGridCodes } from '$lib/server/auth/visibility';
import { dbFor } from '$lib/server/access/request';
import { requestDetail } from '$lib/server/requests/detail';
import { parseMove, photosFromForm } from '$lib/server/requests/http';
import { formFailure, pageUser } from '$lib/server/http/guards';
import { referenceLists } from '$lib/server/queries/reference';
import { moveRequest, offeredMoves } from '$lib/server/requests/transition';
import { mapArea } from '$lib/server/queries/userArea';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const db = await dbFor(event);
	const id = Number(event.params.id);
	const r = Number.isSafeInteger(id) && id > 0 ? await requestDetail(db, id) : null;
	const grids = await visibleGridCodes(db, user);
	if (!r || (grids && !grids.includes(r.gridCode))) error(404, { message: `诉求 ${event.params.id} 不存在或不在你的网格内` });
	const actions = offeredMoves(user, r);
	const { departments, mediators } = await referenceLists(db);
	return { user, r, actions, departments, mediators, mapArea: await mapArea(event) };
};

export const actions: Actions = {
	move: async (event) => {
		const user = pageUser(event);
		const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
		const form = await event.request.formData();
		const body: Record<string, unknown> = Object.fromEntries(form.entries());
		body.departments = form.getAll('departments').map(String);
		let done: string;
		try {
			const photos = await photosFromForm(form, 'photos');
			done = (await moveRequest(await dbFor(event), user, { ...parseMove(id, body, new Headers()), photos })).status;
		} catch (e) {
			return formFailure(e, { action: body.action });
		}
		redirect(303, `/requests/${id}?done=${done}`);
	}
};
