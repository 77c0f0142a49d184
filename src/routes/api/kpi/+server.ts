// GET ?area&department&pairing&kind&from&to&days: every KPI for the scope and period, and the child
// areas ranked red/amber/green. Each number carries the drill-down URL of the requests behind it.
import { visitDaysParam, KPI_BY_KEY, targetOf, type KpiValue } from '$lib/domain/kpi';
import { filterQuery, parseRequestFilter } from '$lib/domain/requestfilter';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { kpiScopeOf } from '$lib/server/kpi/kpi';
import { cachedKpiReport } from '$lib/server/kpi/cache';
import { ownKpiFilter } from '$lib/server/kpi/own';
import { kpiTargets } from '$lib/server/kpi/targets';
import { api, jsonResponse } from '$lib/server/http/respond';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const q = event.url.searchParams;
	const parsed = parseRequestFilter(q);
	const visitDays = visitDaysParam(q.get('days'));
	const db = await dbFor(event);
	// no area or department named: the user's own, as /kpi shows it
	const f = await ownKpiFilter(db, user, q, parsed);
	// kind (诉求, 信访件 petition, …): the request KPIs of that kind only; an unknown kind is a 400 naming it
	const s = kpiScopeOf(f);
	const targets = await kpiTargets(db);
	const { total, ranking } = await cachedKpiReport(db, s, { visitDays, targets });
	const base = { area: f.area, department: f.department, pairing: f.pairing, kind: f.kind, from: q.get('from'), to: q.get('to') };
	// requests through /api/requests; the households and hazards of the place KPIs through /api/kpi/drill
	const drill = (key: string, part: string) => KPI_BY_KEY[key as keyof typeof KPI_BY_KEY].subject === 'requests'
		? `/api/requests?${filterQuery({ ...base, kpi: key, part })}` : `/api/kpi/drill?${filterQuery({ ...base, kpi: key, part, days: visitDays })}`;
	const shown = (v: KpiValue) => ({ ...v, label: KPI_BY_KEY[v.key].label, target: targetOf(v.key, targets), drill: drill(v.key, 'num'), drillAll: drill(v.key, 'den') });
	return jsonResponse({
		scope: { ...base, from: f.from, to: f.to, visitDays },
		kpis: total.values.map(shown),
		// shown beside one of kpis (最终满意率 beside 满意率), not part of the overall colour
		beside: total.beside.map((v) => ({ ...shown(v), beside: KPI_BY_KEY[v.key].beside })),
		// 化解率 of 信访件, whatever kind is chosen
		petition: total.petition.map(shown),
		rag: total.rag,
		ranking
	});
});
