// Current data versions for this viewer: the page puts them in tile and document URLs (?v=), so
// caches stay right when data changes and are never shared between users.
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { viewerVersions } from '$lib/server/queries/versions';

export const GET = api(async ({ locals }) => {
	const db = await dbFor({ locals });
	return jsonResponse({ versions: await viewerVersions(db) }, 200, { 'cache-control': 'no-store' });
});
