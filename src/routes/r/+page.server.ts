// 网上点单: a resident reports a problem without signing in (issue 19). The page carries a fresh
// 验证题; the action checks limits, challenge and fields (server/resident) and shows the 跟踪码.
import { refuseNulFields } from '$lib/domain/apierror';
import { clientAddress, dbFor } from '$lib/server/access/request';
import { formFailure } from '$lib/server/http/guards';
import { photosFromForm } from '$lib/server/requests/http';
import { newChallenge, residentCategories, residentGrids, submitResident } from '$lib/server/resident/resident';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const db = await dbFor({ locals: { ...event.locals, user: null } });
	return { categories: await residentCategories(db), grids: await residentGrids(db), challenge: await newChallenge(db) };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const values = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
		// signed out: nobody is acting as a user, whatever cookie came along
		const db = await dbFor({ locals: { ...event.locals, user: null } });
		try {
			refuseNulFields(Object.entries(values));
			const receipt = await submitResident(db, clientAddress(event) ?? 'unknown', values, await photosFromForm(form, 'photos'));
			return { receipt };
		} catch (e) {
			const { challenge: _c, challengeAnswer: _a, website: _w, ...kept } = values;
			const failed = formFailure(e, kept);
			// a new question with every refusal: the old one may be spent or expired
			return Object.assign(failed, { data: { ...failed.data, challenge: await newChallenge(db) } });
		}
	}
};
