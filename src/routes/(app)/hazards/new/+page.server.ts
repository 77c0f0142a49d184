// 发现 from the field: a place (map tap or 定位), type, severity, a short description, photos. The
// idempotency key is made when the form is shown, so a double submit or a retried POST creates one hazard.
import { randomUUID } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import { HAZARD_REPORTER_ROLES } from '$lib/domain/hazardflow';
import { parseNewHazard } from '$lib/domain/hazardinput';
import { parseIdempotencyKey } from '$lib/domain/requestinput';
import { dbFor } from '$lib/server/access/request';
import { checkReportRate } from '$lib/server/access/limits';
import { formFailure, pageUser } from '$lib/server/http/guards';
import { hazardSource, reportHazard } from '$lib/server/hazards/report';
import { photosFromForm } from '$lib/server/requests/http';
import { mapArea } from '$lib/server/queries/userArea';
import type { Actions, PageServerLoad } from './$types';

const REPORTERS = { roles: HAZARD_REPORTER_ROLES, refusal: '只有网格员、领导和指挥中心可以上报隐患' };

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event, REPORTERS);
	const q = event.url.searchParams;
	// ?request=<id> (诉求转隐患) or ?household=<id> (a 敲门 visit): start from that place, if the user sees it
	const source = await hazardSource(await dbFor(event), Number(q.get('request')) || null, Number(q.get('household')) || null);
	return { user, key: randomUUID(), source, mapArea: await mapArea(event) };
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
