// GET ?area&department&pairing&kind&from&to&days (as /api/kpi): each KPI for every day, week or
// month of the period (domain/kpiseries.ts chooses the step), counted as /api/kpi counts the whole
// period. For /kpi's trend charts.
import { visitDaysParam } from '$lib/domain/kpi';
import { parseRequestFilter } from '$lib/domain/requestfilter';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { kpiTargets } from '$lib/server/kpi/targets';
import { cachedKpiSeries } from '$lib/server/kpi/cache';
import { api, jsonResponse } from '$lib/server/http/respond';
import { kpiScopeOf } from '$lib/server/kpi/kpi';
import { ownKpiFilter } from '$lib/server/kpi/own';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const q = event.url.searchParams;
	const parsed = parseRequestFilter(q);
	const visitDays = visitDaysParam(q.get('days'));
	const db = await dbFor(event);
	// no area or department named: the user's own, as /kpi shows it
	const f = await ownKpiFilter(db, user, q, parsed);
	const targets = await kpiTargets(db);
	const s = kpiScopeOf(f);
	const { step, periods, points } = await cachedKpiSeries(db, s, { visitDays, targets });
	return jsonResponse({ step, targets, periods: periods.map((p, i) => ({ ...p, ...points[i] })) });
});
