// GET /api/hotspots?source=requests&category=property&days=90&status=all&eps=60&minPoints=6
//   &weighting=contiguity|distance&band=1200&periods=6&fdr=1
// DBSCAN clusters, Gi* per grid with FDR bins, emerging patterns and co-location.
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { analyze } from '$lib/server/hotspots/analysis';
import { filterFrom } from '$lib/server/hotspots/http';
import { api, jsonResponse } from '$lib/server/http/respond';
import { heavyReport, REPORTS } from '$lib/server/db/heavy';

export const GET = api(async (event) => {
	requireUser(event);
	const db = await dbFor(event);
	const filter = await filterFrom(db, event.url);
	return jsonResponse(await heavyReport(db, REPORTS.hotspots, (q) => analyze(q, filter)));
});
