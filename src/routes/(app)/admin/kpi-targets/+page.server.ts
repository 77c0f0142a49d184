// 考核目标 (admins): the target of each KPI that red/amber/green compares with; empty means
// domain.md's default. Saved all or none, each change audited.
import { dbFor } from '$lib/server/access/request';
import { adminUser, formFailure } from '$lib/server/http/guards';
import { listTargets, parseTargetChanges, saveTargets } from '$lib/server/kpi/targets';
import type { Actions, PageServerLoad } from './$types';

const adminOnly = (event: Parameters<typeof adminUser>[0]) => adminUser(event, '修改考核目标值');

export const load: PageServerLoad = async (event) => {
	const user = adminOnly(event);
	return { user, targets: await listTargets(await dbFor(event)) };
};

export const actions: Actions = {
	default: async (event) => {
		const admin = adminOnly(event);
		const values = Object.fromEntries([...(await event.request.formData())].map(([k, v]) => [k, String(v)]));
		try {
			await saveTargets(await dbFor(event), admin, parseTargetChanges(values));
			return { saved: true };
		} catch (e) {
			return formFailure(e, values);
		}
	}
};
