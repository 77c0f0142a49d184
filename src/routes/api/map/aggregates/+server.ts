// Per-grid counts for the map below street zoom (domain/aggregates.ts):
// GET → {generatedAt, grids: [{code, lon, lat, households, requests, overdue, hazards}]}, the
// viewer's own grids only. Overdue counts depend on now(), so clients revalidate (ETag → 304).
import { dbFor } from '$lib/server/access/request';
import { api, sendCached } from '$lib/server/http/respond';
import { gridAggregates } from '$lib/server/queries/aggregates';
import { scopeTag } from '$lib/server/queries/versions';

export const GET = api(async ({ request, locals }) => {
	const db = await dbFor({ locals });
	const [doc, tag] = await Promise.all([gridAggregates(db), scopeTag(db)]);
	return sendCached(request, doc, false, tag);
});
