// One hazard: its facts, responsible department, deadline (超期 in Beijing time), the history with
// the 整改前/整改后 photos, and the moves this user may make as forms carrying the version seen.
import { error, redirect } from '@sveltejs/kit';
import { intParam } from '$lib/domain/apierror';
import { HAZARD_TYPE_DEPARTMENT } from '$lib/domain/hazardflow';
import type { HazardType } from '$lib/domain/hazard';
import { dbFor } from '$lib/server/access/request';
import { formFailure, pageUser } from '$lib/server/http/guards';
import { assignableDepartments, hazardDetail } from '$lib/server/hazards/detail';
import { parseHazardMoveInput } from '$lib/server/hazards/http';
import { moveHazard, offeredHazardMoves } from '$lib/server/hazards/transition';
import { photosFromForm } from '$lib/server/requests/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const db = await dbFor(event);
	const id = Number(event.params.id);
	const h = Number.isSafeInteger(id) && id > 0 && id < 2_147_483_648 ? await hazardDetail(db, id) : null;
	if (!h) error(404, { message: `隐患 ${event.params.id} 不存在或不在你的范围内` });
	const actions = offeredHazardMoves(user, h);
	const departments = actions.includes('assign') ? await assignableDepartments(db) : [];
	const proposed = departments.find((d) => d.code === HAZARD_TYPE_DEPARTMENT[h.type as HazardType])?.id ?? null;
	return { user, h, actions, departments, defaultDepartment: h.departmentId ?? proposed };
};

export const actions: Actions = {
	move: async (event) => {
		const user = pageUser(event);
		const id = intParam(event.params.id, 'id', '隐患编号', 1, 2_147_483_647);
		const form = await event.request.formData();
		const body: Record<string, unknown> = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'));
		let done: string;
		try {
			const photos = await photosFromForm(form, 'photos');
			done = (await moveHazard(await dbFor(event), user, { ...parseHazardMoveInput(id, body, new Headers()), photos })).status;
		} catch (e) {
			return formFailure(e, { action: body.action });
		}
		redirect(303, `/hazards/${id}?done=${done}`);
	}
};
