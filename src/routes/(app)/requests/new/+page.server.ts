// 点单 from the map: pick a place, the grid is found from the point; category, description,
// optional photo. The idempotency key is made when the form is shown, so a double submit or a
// retried POST creates one request.
import { randomUUID } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import { parseIdempotencyKey, parseNewRequest } from '$lib/domain/requestinput';
import { dbFor } from '$lib/server/access/request';
import { checkReportRate } from '$lib/server/access/limits';
import { formFailure, pageUser } from '$lib/server/http/guards';
import { referenceLists } from '$lib/server/queries/reference';
import { reportRequest, type Photo } from '$lib/server/requests/report';
import { mapArea } from '$lib/server/queries/userArea';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const q = event.url.searchParams;
	const lists = await referenceLists(await dbFor(event));
	return { user, ...lists, lon: Number(q.get('lon')) || null, lat: Number(q.get('lat')) || null, key: randomUUID(), mapArea: await mapArea(event) };
};

export const actions: Actions = {
	default: async (event) => {
		const user = pageUser(event);
		const form = await event.request.formData();
		const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'));
		let id: number;
		try {
			await checkReportRate(await dbFor(event), user.id, event.getClientAddress());
			const file = form.get('photo');
			const photo: Photo | null = file instanceof File && file.size > 0 ? { type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) } : null;
			const created = await reportRequest(await dbFor(event), user, parseNewRequest(values), photo, parseIdempotencyKey(String(values.key ?? '')));
			id = created.id;
		} catch (e) {
			return formFailure(e, values);
		}
		redirect(303, `/requests/${id}?reported=1`);
	}
};
