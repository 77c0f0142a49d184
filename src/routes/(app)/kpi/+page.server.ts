// 考核指标: every KPI for an area / department / leader's 包联 set and a period; child areas ranked
// red/amber/green. Each number links to the requests behind it.
import { localDateSpan } from '$lib/domain/calendar';
import { visitDaysParam } from '$lib/domain/kpi';
import { parseRequestFilter } from '$lib/domain/requestfilter';
import { dbFor } from '$lib/server/access/request';
import { computeKpis, rankChildren, wishCounts, kpiScopeOf } from '$lib/server/kpi/kpi';
import { kpiTargets } from '$lib/server/kpi/targets';
import { careKpi } from '$lib/server/care/kpi';
import { heavyReport, REPORTS } from '$lib/server/db/heavy';
import { pageCall, pageUser } from '$lib/server/http/guards';
import { areaRows, referenceLists } from '$lib/server/queries/reference';
import { userArea } from '$lib/server/queries/userArea';
import { commonArea } from '$lib/domain/maparea';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const db = await dbFor(event);
	const q = event.url.searchParams;
	const f = await pageCall(() => parseRequestFilter(q));
	// opened without a choice, the page is about the user's own area (a street leader's street, a
	// grid manager's grids) and a department's own work; "全部" in the form is an explicit choice
	if (!q.has('area')) f.area = user.jurisdiction ?? commonArea((await userArea(db))?.grids);
	if (!q.has('department') && user.role === 'department_staff') f.department = user.departmentId;
	const days = await pageCall(() => visitDaysParam(q.get('days')));
	const s = kpiScopeOf(f);
	const targets = await kpiTargets(db);
	// the counts queue as a heavy report (db/heavy.ts): one connection, their own statement timeout
	const [[total, ranking, wishes, care], lists] = await Promise.all([
		pageCall(() => heavyReport(db, REPORTS.kpi, async (q) =>
			[await computeKpis(q, s, { visitDays: days, targets }), await rankChildren(q, s, { visitDays: days, targets }), await wishCounts(q, s),
				// 关爱走访按时率 belongs to places: nothing to say for a department or one kind of request
				s.department === null && !s.kind ? await careKpi(q, s, targets) : null] as const)),
		referenceLists(db)
	]);
	const areas = await areaRows(db);
	const period = localDateSpan(f.from, f.to);
	return { user, targets, total, ranking, wishes, care, departments: lists.departments, leaders: lists.leaders, areas, days, period, scope: { area: f.area, department: f.department, pairing: f.pairing, kind: f.kind } };
};
