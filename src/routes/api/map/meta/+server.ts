// Current data versions: the page puts them in tile and document URLs (?v=) so caches stay right.
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/queries/http';
import { versions } from '$lib/server/queries/versions';

export const GET = api(async ({ locals }) => {
	const db = await dbFor({ locals });
	return jsonResponse({ versions: await versions(db) }, 200, { 'cache-control': 'no-store' });
});
