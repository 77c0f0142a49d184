// One request: its history, its 吹哨 summons, and the moves this user may make now. Each move
// form carries the version the user saw, so a stale page gets a clear conflict, not an overwrite.
import { error, redirect } from '@sveltejs/kit';
import { intParam } from '$lib/domain/apierror';
import { allowedActions, authorityProblem, type RequestStatus } from '$lib/domain/workflow';
import { visibleGridCodes } from '$lib/server/auth/index';
import { dbFor } from '$lib/server/access/request';
import { requestDetail } from '$lib/server/requests/detail';
import { parseMove } from '$lib/server/requests/http';
import { formFailure, pageUser, referenceLists } from '$lib/server/requests/pages';
import { moveRequest } from '$lib/server/requests/transition';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const db = await dbFor(event);
	const id = Number(event.params.id);
	const r = Number.isSafeInteger(id) && id > 0 ? await requestDetail(db, id) : null;
	const grids = await visibleGridCodes(db, user);
	if (!r || (grids && !grids.includes(r.gridCode))) error(404, { message: `诉求 ${event.params.id} 不存在或不在你的网格内` });
	const assignment = {
		departmentId: r.departmentId, gridManagerIds: r.gridManagerIds, leaderId: r.leaderId, mediatorId: r.mediatorId,
		summonedDepartmentIds: r.summons.filter((s) => !s.reportedAt).map((s) => s.departmentId)
	};
	const actions = allowedActions(r.status as RequestStatus).filter((a) => !authorityProblem(a, user, assignment));
	const { departments, mediators } = await referenceLists(db);
	return { user, r, actions, departments, mediators };
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
			done = (await moveRequest(await dbFor(event), user, parseMove(id, body, new Headers()))).status;
		} catch (e) {
			return formFailure(e, { action: body.action });
		}
		redirect(303, `/requests/${id}?done=${done}`);
	}
};
