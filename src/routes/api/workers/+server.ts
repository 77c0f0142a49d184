// GET ?street&sort&page&from&to&days: one page of a street's ranking of grid workers (leaders of
// the street and above, admins); `total` and `pages` say how many there are.
import { parseRankingQuery, parseWorkerPeriod } from '$lib/domain/workers';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { heavyReport, REPORTS } from '$lib/server/db/heavy';
import { api, jsonResponse } from '$lib/server/http/respond';
import { kpiTargets } from '$lib/server/kpi/targets';
import { streetRanking } from '$lib/server/workers/workers';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const q = event.url.searchParams;
	const query = parseRankingQuery(q);
	const period = parseWorkerPeriod(q, new Date());
	const db = await dbFor(event);
	const targets = await kpiTargets(db);
	const { ranking } = await heavyReport(db, REPORTS.workers, (tx) => streetRanking(tx, user, query, period, targets));
	return jsonResponse({ period: { from: period.from, to: period.to, days: period.days }, sort: query.sort, ...ranking });
});
