// GET ?kpi=visit_coverage|hazard_rate&part=num|den&area&pairing&department&from&to&days&limit&offset:
// the households or hazards behind one number of /api/kpi (request KPIs list through /api/requests).
import { intParam } from '$lib/domain/apierror';
import { DEFAULT_VISIT_DAYS } from '$lib/domain/kpi';
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
	const visitDays = q.get('days') ? intParam(q.get('days'), 'days', '走访天数', 1, 365) : DEFAULT_VISIT_DAYS;
	return jsonResponse(await heavyReport(await dbFor(event), REPORTS.kpiDrill, (q) => listPlaces(q, f, { visitDays })));
});
