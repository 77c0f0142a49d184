// 关爱走访周期 (admins): days between care visits per household tag; empty means the domain's
// default, 不列入 takes the tag off the care list. Saved all or none, each change audited.
import { dbFor } from '$lib/server/access/request';
import { adminUser, formFailure } from '$lib/server/http/guards';
import { listCareDays, parseCareDaysChanges, saveCareDays } from '$lib/server/care/frequencies';
import type { Actions, PageServerLoad } from './$types';

const adminOnly = (event: Parameters<typeof adminUser>[0]) => adminUser(event, '修改关爱走访周期');

export const load: PageServerLoad = async (event) => {
	const user = adminOnly(event);
	return { user, rows: await listCareDays(await dbFor(event)) };
};

export const actions: Actions = {
	default: async (event) => {
		const admin = adminOnly(event);
		const form = await event.request.formData();
		const values = Object.fromEntries([...form].filter(([k]) => !k.endsWith('__off')).map(([k, v]) => [k, String(v)]));
		// a ticked 不列入 box wins over the days typed beside it
		for (const k of Object.keys(values)) if (form.get(`${k}__off`)) values[k] = 'off';
		try {
			await saveCareDays(await dbFor(event), admin, parseCareDaysChanges(values));
			return { saved: true };
		} catch (e) {
			return formFailure(e, values);
		}
	}
};
