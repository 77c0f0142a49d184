// 考核指标: every KPI for an area / department / leader's 包联 set and a period; child areas ranked
// red/amber/green. Each number links to the requests behind it.
import { error } from '@sveltejs/kit';
import { ApiError, intParam } from '$lib/domain/apierror';
import { DEFAULT_VISIT_DAYS } from '$lib/domain/kpi';
import { parseRequestFilter } from '$lib/domain/requestfilter';
import { dbFor } from '$lib/server/access/request';
import { computeKpis, rankChildren, wishCounts } from '$lib/server/kpi/kpi';
import { pageUser, referenceLists } from '$lib/server/requests/pages';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const db = await dbFor(event);
	const q = event.url.searchParams;
	let f, days: number;
	try {
		f = parseRequestFilter(q);
		days = q.get('days') ? intParam(q.get('days'), 'days', '走访天数', 1, 365) : DEFAULT_VISIT_DAYS;
	} catch (e) {
		if (e instanceof ApiError) error(400, { message: e.message, field: e.field });
		throw e;
	}
	const s = { area: f.area, department: f.department, leader: f.leader, from: f.from, to: f.to };
	const [total, ranking, lists, wishes, areas] = await Promise.all([
		computeKpis(db, s, { visitDays: days }), rankChildren(db, s, { visitDays: days }), referenceLists(db), wishCounts(db, s),
		db.sql<{ code: string; name: string; level: string }>`SELECT code, name, level FROM areas ORDER BY code`
	]);
	const period = { from: new Date(f.from.getTime() + 8 * 3600_000).toISOString().slice(0, 10), to: new Date(f.to.getTime() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10) };
	return { user, total, ranking, wishes, departments: lists.departments, leaders: lists.leaders, areas, days, period, scope: { area: f.area, department: f.department, leader: f.leader } };
};
