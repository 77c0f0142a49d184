// Current data versions: the page puts them in tile and document URLs (?v=) so caches stay right.
import { ready } from '$lib/server/database';
import { api, jsonResponse } from '$lib/server/queries/http';
import { versions } from '$lib/server/queries/versions';

export const GET = api(async () => {
	const db = await ready();
	return jsonResponse({ versions: await versions(db) }, 200, { 'cache-control': 'no-store' });
});
