// 工作台: a grid manager's grids, queue and 敲门行动 coverage; a department's dispatched work and
// 吹哨 calls; the command centre's dispatch queue; a leader's 包案 and a mediator's cases.
import { intParam } from '$lib/domain/apierror';
import { dbFor } from '$lib/server/access/request';
import { recordDoorKnock } from '$lib/server/requests/households';
import { formFailure, pageUser } from '$lib/server/http/guards';
import { workspace } from '$lib/server/requests/workspace';
import { mapArea } from '$lib/server/queries/userArea';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const days = event.url.searchParams.get('days') ? intParam(event.url.searchParams.get('days'), 'days', '天数', 1, 365) : 30;
	return { user, days, ws: await workspace(await dbFor(event), user, days), mapArea: await mapArea(event) };
};

export const actions: Actions = {
	knock: async (event) => {
		const user = pageUser(event);
		const form = await event.request.formData();
		try {
			const id = intParam(String(form.get('householdId') ?? ''), 'householdId', '住户编号', 1, Number.MAX_SAFE_INTEGER);
			const note = String(form.get('note') ?? '').trim() || null;
			await recordDoorKnock(await dbFor(event), user, id, note);
			return { knocked: id };
		} catch (e) {
			return formFailure(e);
		}
	}
};
