// 走访: the visits this user may see (own first) by period, type and leader, a page at a time, the
// counts by 四下基层 type, and every stop of the filtered visits on a map.
import { parseVisitFilter } from '$lib/domain/visits';
import { dbFor } from '$lib/server/access/request';
import { listVisits, visitStopsOnMap } from '$lib/server/visits/store';
import { pageCall, pageUser } from '$lib/server/http/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser({ locals, url });
	const f = await pageCall(async () => parseVisitFilter(url.searchParams));
	const db = await dbFor({ locals });
	return { user, filter: f, list: await listVisits(db, user, f), stops: await visitStopsOnMap(db, user, f) };
};
