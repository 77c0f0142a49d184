// 调研课题: the leader's saved 解剖麻雀 selections (admins see all).
import { dbFor } from '$lib/server/access/request';
import { listPlans } from '$lib/server/hotspots/plans';
import { pageUser } from '$lib/server/http/guards';
import { VISIT_PLANNERS } from '$lib/server/visits/itinerary';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser({ locals, url }, VISIT_PLANNERS);
	return { user, plans: await listPlans(await dbFor({ locals }), user.role === 'admin' ? null : user.id) };
};
