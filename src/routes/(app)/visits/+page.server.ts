// 走访: the visits this user may see (own first), with their request counts.
import { dbFor } from '$lib/server/access/request';
import { listVisits } from '$lib/server/visits/store';
import { pageUser } from '$lib/server/http/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser({ locals, url });
	return { user, visits: await listVisits(await dbFor({ locals }), user) };
};
