// GET ?kpi=visit_coverage|hazard_rate&part=num|den&area&pairing&department&from&to&days&limit&offset:
// the households or hazards behind one number of /api/kpi (request KPIs list through /api/requests).
import { visitDaysParam } from '$lib/domain/kpi';
import { parseRequestFilter } from '$lib/domain/requestfilter';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { listPlaces } from '$lib/server/kpi/drill';
import { api, jsonResponse } from '$lib/server/http/respond';
import { heavyReport, REPORTS } from '$lib/server/db/heavy';

export const GET = api(async (event) => {
	requireUser(event);
	const q = event.url.searchParams;
	const f = parseRequestFilter(q);
	const visitDays = visitDaysParam(q.get('days'));
	return jsonResponse(await heavyReport(await dbFor(event), REPORTS.kpiDrill, (q) => listPlaces(q, f, { visitDays })));
});
