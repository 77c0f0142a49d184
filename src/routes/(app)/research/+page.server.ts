// 调研课题: the leader's saved 解剖麻雀 research topics (admins see all).
import { dbFor } from '$lib/server/access/request';
import { listResearchTopics } from '$lib/server/research/topics';
import { pageUser } from '$lib/server/http/guards';
import { VISIT_PLANNERS } from '$lib/server/visits/itinerary';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser({ locals, url }, VISIT_PLANNERS);
	return { user, topics: await listResearchTopics(await dbFor({ locals }), user.role === 'admin' ? null : user.id) };
};
