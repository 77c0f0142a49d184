// 网格员工作情况 (issue 20): what one grid worker did in a period and how the workers of a street
// rank. The rules here are the only ones: who counts as having reported or handled a request, who
// may see a worker's page, how the ranking sorts, ranks and pages. The numbers are counted in SQL
// (src/lib/server/workers) from these constants and the KPI definitions of ./kpi.ts.
import { ApiError, badParam, enumParam, intParam } from './apierror';
import { KPI_BY_KEY, visitDaysParam, type KpiKey, type KpiValue, type Rag } from './kpi';
import { competitionRanks, type Ranked } from './numbers';
import { parseRequestFilter } from './requestfilter';

/** 上报: the request_events action whose actor reported the request (the worker who filed it in the field). */
export const REPORT_ACTION = 'report';

/** What the "handled by" rule needs to know of a worker and of a request. */
export interface WorkerGrids { id: number; grids: readonly string[] }
export interface RequestActors { gridCode: string; events: readonly { action: string; actorId: number | null }[] }

/**
 * 网格员经办的诉求: a request is handled by worker W when it lies in one of W's grids (user_grids).
 * The loop (workflow.ts authorityProblem) gives a grid worker no 接单 or 办结 of their own: they
 * follow their grid's items through the department's work, blow the whistle (吹哨), evaluate and
 * close (销号), and only in their own grids. So a worker answers for every item of their grid,
 * whichever department works it. The SQL twin is handledFrom in src/lib/server/workers/figures.ts;
 * the integration test checks both on one fixture.
 */
export function handledBy(worker: WorkerGrids, r: Pick<RequestActors, 'gridCode'>): boolean {
	return worker.grids.includes(r.gridCode);
}

/** 上报人: a request counts as reported by W when W is the actor of its report event. */
export const reportedBy = (workerId: number, r: RequestActors): boolean =>
	r.events.some((e) => e.action === REPORT_ACTION && e.actorId === workerId);

/** The KPIs a worker is measured by (same definitions, targets and colours as /kpi). */
export const WORKER_KPIS = ['accept_rate', 'ontime_rate', 'overdue', 'visit_coverage'] as const satisfies readonly KpiKey[];
export type WorkerKpi = (typeof WORKER_KPIS)[number];

/** One worker's figures for a period. */
export interface WorkerFigures {
	id: number;
	name: string;
	username: string;
	/** their grids (user_grids), code and name */
	grids: { code: string; name: string }[];
	/** requests they reported in the period (REPORT_ACTION) */
	reports: number;
	/** 敲门 visits they made in the period */
	knocks: number;
	/** distinct households those visits reached */
	reached: number;
	/** WORKER_KPIS in that order, each rated red/amber/green against its target */
	values: KpiValue[];
	/** handled requests open now (rankScore weighs 超期数 against them) */
	open: number;
	/** worst colour of values */
	rag: Rag;
	/** rankScore of values: the ranking's default order */
	score: number;
}

/** The columns a ranking may be sorted by; each sorts best first. */
export const WORKER_SORTS = ['score', 'reports', 'knocks', 'reached', ...WORKER_KPIS] as const;
export type WorkerSort = (typeof WORKER_SORTS)[number];

export const WORKER_SORT_LABEL: Record<WorkerSort, string> = {
	score: '综合', reports: '上报数', knocks: '走访次数', reached: '走访户数',
	accept_rate: KPI_BY_KEY.accept_rate.label, ontime_rate: KPI_BY_KEY.ontime_rate.label,
	overdue: KPI_BY_KEY.overdue.label, visit_coverage: KPI_BY_KEY.visit_coverage.label
};

/** A worker's value in sort column `sort`; null when there is nothing to divide (no rank then). */
export function sortValue(w: WorkerFigures, sort: WorkerSort): number | null {
	if (sort === 'score' || sort === 'reports' || sort === 'knocks' || sort === 'reached') return w[sort];
	return w.values[WORKER_KPIS.indexOf(sort)].value;
}

/** 超期数 ranks the fewest first; every other column the most. */
export const sortBetter = (sort: WorkerSort): 'higher' | 'lower' => (sort === 'overdue' ? 'lower' : 'higher');

export interface RankedWorker extends WorkerFigures {
	/** standard competition rank in the sort column (ties share it: "并列第 3"); null without a value */
	rank: Ranked | null;
}

/**
 * The workers in sort column `sort`, best first, with standard competition ranks; workers without
 * a value (a rate with nothing to divide) come last, unranked. Ties keep the grid order (username).
 */
export function rankWorkers(workers: readonly WorkerFigures[], sort: WorkerSort): RankedWorker[] {
	const better = sortBetter(sort);
	const valued = workers.filter((w) => sortValue(w, sort) !== null);
	const ranks = competitionRanks(valued.map((w) => ({ key: w.id, value: sortValue(w, sort)! })), better);
	const sign = better === 'higher' ? -1 : 1;
	return workers
		.map((w) => ({ ...w, rank: ranks.get(w.id) ?? null }))
		.sort((a, b) => {
			const va = sortValue(a, sort), vb = sortValue(b, sort);
			if (va === null || vb === null) return va === vb ? a.username.localeCompare(b.username) : va === null ? 1 : -1;
			return sign * (va - vb) || a.username.localeCompare(b.username);
		});
}

/** Rows per page of the ranking (a street has dozens to hundreds of workers). */
export const WORKER_PAGE_SIZE = 50;

export interface RankingQuery { street: string | null; sort: WorkerSort; page: number }

/** ?street=9 digits&sort=…&page=n, each refused naming its field. */
export function parseRankingQuery(q: URLSearchParams): RankingQuery {
	const street = q.get('street') || null;
	if (street !== null && !/^\d{9}$/.test(street)) throw badParam('street', `街道代码（street）应为 9 位数字，收到“${street.slice(0, 20)}”`);
	return {
		street,
		sort: q.get('sort') ? enumParam(q.get('sort'), 'sort', '排序列', WORKER_SORTS) : 'score',
		page: q.get('page') ? intParam(q.get('page'), 'page', '页码', 1, 100_000) : 1
	};
}

/** One page of a ranking, and how many there are (never a silent cap). */
export function pageOf<T>(rows: readonly T[], page: number, size = WORKER_PAGE_SIZE): { rows: T[]; page: number; pages: number; total: number } {
	const pages = Math.max(1, Math.ceil(rows.length / size));
	if (page > pages) throw badParam('page', `页码（page）超出范围：共 ${pages} 页，收到第 ${page} 页`);
	return { rows: rows.slice((page - 1) * size, page * size), page, pages, total: rows.length };
}

/** A worker's page and the ranking open on 近 30 天 (the KPIs' own default is 90). */
export const WORKER_DEFAULT_DAYS = 30;

/**
 * The period of ?from&to (Beijing dates, as /kpi reads them; 近 30 天 without them) and
 * 入户走访覆盖率's N (?days), each refused naming its field.
 */
export function parseWorkerPeriod(q: URLSearchParams, now: Date): { from: Date; to: Date; now: Date; days: number } {
	const f = parseRequestFilter(new URLSearchParams(['from', 'to'].filter((k) => q.get(k)).map((k) => [k, q.get(k)!])), now, WORKER_DEFAULT_DAYS);
	return { from: f.from, to: f.to, now, days: visitDaysParam(q.get('days')) };
}

/** Who is asking, as far as the rules below care. */
export interface Viewer { id: number; role: string; jurisdiction?: string | null }

/**
 * A worker's page is for the worker, the leaders whose area holds all of their grids (网格长 and
 * community, street and district leaders: users.jurisdiction_code) and admins. Anyone else: 403.
 */
export function assertMayViewWorker(viewer: Viewer, worker: WorkerGrids): void {
	if (viewer.role === 'admin' || viewer.id === worker.id) return;
	if (viewer.role === 'grid_manager') throw new ApiError(403, 'forbidden', '网格员只能查看本人的工作情况');
	const area = viewer.role === 'leader' ? viewer.jurisdiction : null;
	if (area && worker.grids.length && worker.grids.every((g) => g.startsWith(area))) return;
	throw new ApiError(403, 'forbidden', '无权查看该网格员的工作情况：只有本人、其所在社区/街道的负责人及以上和管理员可以查看');
}

/** The street ranking is for admins and the leaders of that street or above. */
export function assertMayRankStreet(viewer: Viewer, street: string): void {
	if (viewer.role === 'admin') return;
	if (viewer.role === 'grid_manager') throw new ApiError(403, 'forbidden', '网格员只能查看本人的工作情况，街道排名由街道及以上负责人查看');
	const area = viewer.role === 'leader' ? viewer.jurisdiction : null;
	if (area && street.startsWith(area)) return;
	throw new ApiError(403, 'forbidden', `无权查看街道 ${street} 的网格员排名：只有该街道及以上负责人和管理员可以查看`, 'street');
}

/** The worker of a path: 'me' for the signed-in grid worker, else a user id (refused naming `id`). */
export function workerIdParam(raw: string, viewer: Viewer): number {
	if (raw !== 'me') return intParam(raw, 'id', '网格员编号', 1, 2_147_483_647);
	if (viewer.role !== 'grid_manager') throw new ApiError(404, 'not_found', '“我的工作”页面只属于网格员：请从网格员排名中选择一位网格员', 'id');
	return viewer.id;
}
