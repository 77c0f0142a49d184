// 点单 from the field: pick a place (or 定位), the grid is found from the point; category,
// description, photos. The idempotency key is made when the form is shown, so a double submit, a
// retried POST or the outbox replaying it creates one request. Query parameters prefill the form
// (householdId, lon, lat, categoryCode, description, address, channel: a door-knock's 转为诉求).
import { randomUUID } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import { parseIdempotencyKey, parseNewRequest, PREFILL_PARAMS } from '$lib/domain/requestinput';
import { dbFor } from '$lib/server/access/request';
import { checkReportRate } from '$lib/server/access/limits';
import { formFailure, pageUser } from '$lib/server/http/guards';
import { referenceLists } from '$lib/server/queries/reference';
import { photosFromForm } from '$lib/server/requests/http';
import { reportRequest } from '$lib/server/requests/report';
import { mapArea } from '$lib/server/queries/userArea';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const q = event.url.searchParams;
	const lists = await referenceLists(await dbFor(event));
	const prefill = Object.fromEntries(PREFILL_PARAMS.map((k) => [k, q.get(k) ?? '']).filter(([, v]) => v !== ''));
	return { user, ...lists, prefill, lon: Number(q.get('lon')) || null, lat: Number(q.get('lat')) || null, key: randomUUID(), mapArea: await mapArea(event) };
};

export const actions: Actions = {
	default: async (event) => {
		const user = pageUser(event);
		const form = await event.request.formData();
		const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'));
		let id: number;
		try {
			await checkReportRate(await dbFor(event), user.id, event.getClientAddress());
			// 'photos' (several, the field form) or 'photo' (the one photo of the older form)
			const several = await photosFromForm(form, 'photos');
			const one = await photosFromForm(form, 'photo');
			const photos = several.length || !one.length ? [...several, ...one] : one[0];
			const created = await reportRequest(await dbFor(event), user, parseNewRequest(values), photos, parseIdempotencyKey(String(values.key ?? '')));
			id = created.id;
		} catch (e) {
			return formFailure(e, values);
		}
		redirect(303, `/requests/${id}?reported=1`);
	}
};
