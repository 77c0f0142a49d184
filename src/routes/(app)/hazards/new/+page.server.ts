// 发现 from the field: a place (map tap or 定位), type, severity, a short description, photos. The
// idempotency key is made when the form is shown, so a double submit or a retried POST creates one hazard.
import { randomUUID } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import { parseNewHazard } from '$lib/domain/hazardinput';
import { parseIdempotencyKey } from '$lib/domain/requestinput';
import { dbFor } from '$lib/server/access/request';
import { checkReportRate } from '$lib/server/access/limits';
import { formFailure, pageUser } from '$lib/server/http/guards';
import { reportHazard } from '$lib/server/hazards/report';
import { photosFromForm } from '$lib/server/requests/http';
import { mapArea } from '$lib/server/queries/userArea';
import type { Actions, PageServerLoad } from './$types';

const REPORTERS = { roles: ['admin', 'grid_manager', 'leader'] as const, refusal: '只有网格员、领导和指挥中心可以上报隐患' };

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event, REPORTERS);
	return { user, key: randomUUID(), mapArea: await mapArea(event) };
};

export const actions: Actions = {
	default: async (event) => {
		const user = pageUser(event, REPORTERS);
		const form = await event.request.formData();
		const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'));
		let id: number;
		try {
			await checkReportRate(await dbFor(event), user.id, event.getClientAddress());
			const created = await reportHazard(await dbFor(event), user, parseNewHazard(values), await photosFromForm(form, 'photos'), parseIdempotencyKey(String(values.key ?? '')));
			id = created.id;
		} catch (e) {
			return formFailure(e, values);
		}
		redirect(303, `/hazards/${id}?reported=1`);
	}
};
