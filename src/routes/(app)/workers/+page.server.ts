// 网格员排名: every grid worker of a street with their figures for the period, each KPI coloured
// against its target, ranked (ties shared), sortable and paged; for the street's leaders and above.
import { parseRankingQuery, parseWorkerPeriod } from '$lib/domain/workers';
import { dbFor } from '$lib/server/access/request';
import { heavyReport, REPORTS } from '$lib/server/db/heavy';
import { pageCall, pageUser } from '$lib/server/http/guards';
import { kpiTargets } from '$lib/server/kpi/targets';
import { localDateSpan } from '$lib/domain/calendar';
import { rankableStreets, streetRanking } from '$lib/server/workers/workers';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const q = event.url.searchParams;
	const [query, period] = await pageCall(() => [parseRankingQuery(q), parseWorkerPeriod(q, new Date())] as const);
	const db = await dbFor(event);
	const targets = await kpiTargets(db);
	const { ranking } = await pageCall(() => heavyReport(db, REPORTS.workers, (tx) => streetRanking(tx, user, query, period, targets)));
	return { ranking, sort: query.sort, targets, streets: await rankableStreets(db, user), days: period.days, span: localDateSpan(period.from, period.to) };
};
