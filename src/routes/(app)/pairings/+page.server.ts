// 包联: each leader's paired places with open items and the last visit; a leader sees their own by default.
import { dbFor } from '$lib/server/access/request';
import { viewerVersions } from '$lib/server/queries/versions';
import { pageUser } from '$lib/server/http/guards';
import { leaderPairings } from '$lib/server/visits/pairings';
import { mapArea } from '$lib/server/queries/userArea';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = pageUser({ locals, url });
	const db = await dbFor({ locals });
	const all = url.searchParams.get('all') === '1' || user.role !== 'leader';
	const [rows, v] = await Promise.all([leaderPairings(db, all ? null : user.id), viewerVersions(db)]);
	return { rows, all, basemap: `/api/map/basemap?v=${v.basemap}`, mapArea: await mapArea({ locals }) };
};
