// GET: open requests per grid (count and per 100 households), the big screen's choropleth, and the
// codes of the grids that are Gi* hotspots.
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { cachedDensity, cachedHotspots } from '$lib/server/screen/cache';

export const GET = api(async (event) => {
	requireUser(event);
	const db = await dbFor(event);
	const [grids, hot] = await Promise.all([cachedDensity(db), cachedHotspots(db)]);
	return jsonResponse({ grids, hot }, 200, { 'cache-control': 'no-store' });
});
