// 网格员工作情况: one worker's reports, door-knocks, grid coverage, items on time and weekly trend;
// /workers/me is the signed-in worker's own. The worker, their area's leaders and admins only.
import { localDateSpan } from '$lib/domain/calendar';
import { parseWorkerPeriod, workerIdParam } from '$lib/domain/workers';
import { dbFor } from '$lib/server/access/request';
import { heavyReport, REPORTS } from '$lib/server/db/heavy';
import { pageCall, pageUser } from '$lib/server/http/guards';
import { kpiTargets } from '$lib/server/kpi/targets';
import { workerFor, workerPage } from '$lib/server/workers/workers';
import { careList } from '$lib/server/care/list';
import { careVisitsBy } from '$lib/server/care/visits';
import { patrolsOf } from '$lib/server/patrols/patrols';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const period = await pageCall(() => parseWorkerPeriod(event.url.searchParams, new Date()));
	const db = await dbFor(event);
	const worker = await pageCall(async () => workerFor(db, user, workerIdParam(event.params.id, user)));
	const targets = await kpiTargets(db);
	const page = await pageCall(() => heavyReport(db, REPORTS.workers, (tx) => workerPage(tx, worker, period, targets)));
	// 关爱对象 of the worker's grids (应访: 逾期 and 临期 now; 已访: their care visits in the period), and their 巡查
	const grids = worker.grids.map((g) => g.code);
	const [care, careDone, patrols] = await Promise.all([
		careList(db, { grids }, { limit: 5 }), careVisitsBy(db, worker.id, period.from, period.to), patrolsOf(db, worker.id, period.from, period.to, 20)
	]);
	return { worker, ...page, targets, days: period.days, span: localDateSpan(period.from, period.to), own: worker.id === user.id, care, careDone, patrols };
};
