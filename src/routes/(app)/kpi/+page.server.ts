// 考核指标: every KPI for an area / department / leader's 包联 set and a period; child areas ranked
// red/amber/green. Each number links to the requests behind it.
import { localDateSpan } from '$lib/domain/calendar';
import { visitDaysParam } from '$lib/domain/kpi';
import { parseRequestFilter } from '$lib/domain/requestfilter';
import { dbFor } from '$lib/server/access/request';
import { wishCounts, kpiScopeOf } from '$lib/server/kpi/kpi';
import { cachedKpiReport } from '$lib/server/kpi/cache';
import { ownKpiFilter } from '$lib/server/kpi/own';
import { kpiTargets } from '$lib/server/kpi/targets';
import { careKpi } from '$lib/server/care/kpi';
import { heavyReport, REPORTS } from '$lib/server/db/heavy';
import { pageCall, pageUser } from '$lib/server/http/guards';
import { areaRows, referenceLists } from '$lib/server/queries/reference';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const db = await dbFor(event);
	const q = event.url.searchParams;
	// opened without a choice, the page is about the user's own area and a department's own work
	const f = await ownKpiFilter(db, user, q, await pageCall(() => parseRequestFilter(q)));
	const days = await pageCall(() => visitDaysParam(q.get('days')));
	const s = kpiScopeOf(f);
	const targets = await kpiTargets(db);
	// the counts: cached per scope and data version, else counted in the heavy-report lane (db/heavy.ts)
	const [{ total, ranking }, [wishes, care], lists] = await Promise.all([
		pageCall(() => cachedKpiReport(db, s, { visitDays: days, targets })),
		pageCall(() => heavyReport(db, REPORTS.kpi, async (q) =>
			// 关爱走访按时率 belongs to places: nothing to say for a department or one kind of request
			[await wishCounts(q, s), s.department === null && !s.kind ? await careKpi(q, s, targets) : null] as const)),
		referenceLists(db)
	]);
	const areas = await areaRows(db);
	const period = localDateSpan(f.from, f.to);
	return { user, targets, total, ranking, wishes, care, departments: lists.departments, leaders: lists.leaders, areas, days, period, scope: { area: f.area, department: f.department, pairing: f.pairing, kind: f.kind } };
};
