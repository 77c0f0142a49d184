// GET ?format=xlsx|csv&street&sort&from&to&days: a street's whole ranking of grid workers as a file
// (every page, in the ranking's order), audited as an export.
import { enumParam } from '$lib/domain/apierror';
import { parseRankingQuery, parseWorkerPeriod } from '$lib/domain/workers';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { heavyReport, REPORTS } from '$lib/server/db/heavy';
import { exportWorkerRanking } from '$lib/server/export/workerRanking';
import { api } from '$lib/server/http/respond';
import { kpiTargets } from '$lib/server/kpi/targets';
import { streetRanking } from '$lib/server/workers/workers';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const q = event.url.searchParams;
	const format = enumParam(q.get('format') ?? 'xlsx', 'format', '导出格式', ['xlsx', 'csv'] as const);
	const query = { ...parseRankingQuery(q), page: 1 };
	const period = parseWorkerPeriod(q, new Date());
	const db = await dbFor(event);
	const targets = await kpiTargets(db);
	const { all, ranking } = await heavyReport(db, REPORTS.workers, (tx) => streetRanking(tx, user, query, period, targets));
	const file = await exportWorkerRanking(db, user.id, ranking.street, all, format, { describe: event.url.search });
	return new Response(file.body, { headers: file.headers });
});
