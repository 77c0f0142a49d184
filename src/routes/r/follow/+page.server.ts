// 办理进度 and 评单 for a resident: the 跟踪码 and the phone's last four digits open the case (both
// every time, in the POST body, never in the address); a resolved case can be rated once.
import { clientAddress, dbFor } from '$lib/server/access/request';
import { formFailure } from '$lib/server/http/guards';
import { followResident, rateResident } from '$lib/server/resident/resident';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ code: url.searchParams.get('code')?.slice(0, 20) ?? '' });

const fieldsOf = async (request: Request) =>
	Object.fromEntries([...(await request.formData()).entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));

export const actions: Actions = {
	look: async (event) => {
		const values = await fieldsOf(event.request);
		try {
			const db = await dbFor({ locals: { ...event.locals, user: null } });
			return { view: await followResident(db, clientAddress(event) ?? 'unknown', values), tracking: values.tracking, tail: values.tail };
		} catch (e) {
			return formFailure(e, { tracking: values.tracking ?? '' });
		}
	},
	rate: async (event) => {
		const values = await fieldsOf(event.request);
		try {
			const db = await dbFor({ locals: { ...event.locals, user: null } });
			return { view: await rateResident(db, clientAddress(event) ?? 'unknown', values), tracking: values.tracking, tail: values.tail, rated: true };
		} catch (e) {
			return formFailure(e, { tracking: values.tracking ?? '', tail: values.tail ?? '' });
		}
	}
};
