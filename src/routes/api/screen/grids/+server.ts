// GET: open requests per grid (count and per 100 households): the big screen's choropleth.
import { requireUser } from '$lib/server/auth';
import { ready } from '$lib/server/database';
import { api, jsonResponse } from '$lib/server/queries/http';
import { cachedDensity } from '$lib/server/screen/cache';

export const GET = api(async (event) => {
	requireUser(event);
	return jsonResponse({ grids: await cachedDensity(await ready()) }, 200, { 'cache-control': 'no-store' });
});
