// GET /api/workers/{id|me}?from&to&days: one grid worker's figures, reports by category and weeks
// (the worker, their area's leaders and admins; 403 for anyone else).
import { parseWorkerPeriod, workerIdParam } from '$lib/domain/workers';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { heavyReport, REPORTS } from '$lib/server/db/heavy';
import { api, jsonResponse } from '$lib/server/http/respond';
import { kpiTargets } from '$lib/server/kpi/targets';
import { workerFor, workerPage } from '$lib/server/workers/workers';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const period = parseWorkerPeriod(event.url.searchParams, new Date());
	const db = await dbFor(event);
	const worker = await workerFor(db, user, workerIdParam(event.params.id ?? '', user));
	const targets = await kpiTargets(db);
	const page = await heavyReport(db, REPORTS.workers, (tx) => workerPage(tx, worker, period, targets));
	return jsonResponse({ period: { from: period.from, to: period.to, days: period.days }, ...page });
});
