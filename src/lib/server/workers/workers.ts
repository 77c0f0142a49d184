// 网格员工作情况: one worker's page and the ranking of a street's workers, each after the access
// rule of domain/workers.ts (row-level security narrows the counts to what the viewer sees too).
import { ApiError, notFound } from '../../domain/apierror';
import type { KpiTargets } from '../../domain/kpi';
import { cutPeriods, type SeriesPeriod } from '../../domain/kpiseries';
import { assertMayRankStreet, assertMayViewWorker, pageOf, rankWorkers, type RankedWorker, type RankingQuery, type Viewer, type WorkerFigures } from '../../domain/workers';
import type { Queryable } from '../db/client';
import { reportsByCategory, workerFigures, type WorkerCountOptions, type WorkerPeriod, type WorkerRow } from './figures';

type GridList = { code: string; name: string }[];

/** Active grid workers (role grid_manager) with their grids, `where` on users u. */
async function workerRows(db: Queryable, ids: number[] | null, street: string | null): Promise<WorkerRow[]> {
	const rows = await db.sql<{ id: number; name: string; username: string; grids: GridList | string }>`
		SELECT u.id, u.display_name AS name, u.username,
		  coalesce(json_agg(json_build_object('code', g.code, 'name', g.name) ORDER BY g.code) FILTER (WHERE g.code IS NOT NULL), '[]') AS grids
		FROM users u LEFT JOIN user_grids ug ON ug.user_id = u.id LEFT JOIN grids g ON g.code = ug.grid_code
		WHERE u.role = 'grid_manager' AND u.active
		  AND (${ids}::int[] IS NULL OR u.id = ANY(${ids}::int[]))
		  AND (${street}::text IS NULL OR EXISTS (SELECT 1 FROM user_grids s WHERE s.user_id = u.id AND s.grid_code LIKE ${`${street ?? ''}%`}))
		GROUP BY u.id ORDER BY u.username`;
	return rows.map((r) => ({ id: Number(r.id), name: r.name, username: r.username, grids: typeof r.grids === 'string' ? JSON.parse(r.grids) : r.grids }));
}

/** The worker `id` if `viewer` may see their page: 404 for no such worker, 403 for someone else's. */
export async function workerFor(db: Queryable, viewer: Viewer, id: number): Promise<WorkerRow> {
	const [w] = await workerRows(db, [id], null);
	if (!w) throw notFound(`网格员 ${id} 不存在或已停用`, 'id');
	assertMayViewWorker(viewer, { id: w.id, grids: w.grids.map((g) => g.code) });
	return w;
}

export interface WorkerPage {
	figures: WorkerFigures;
	byCategory: { code: string; name: string; n: number }[];
	/** the same figures for each week (Monday to Sunday) of the period */
	weeks: { period: SeriesPeriod; figures: WorkerFigures }[];
}

/** Everything a worker's page shows; the weeks are counted by the same function as the total. */
export async function workerPage(db: Queryable, worker: WorkerRow, p: WorkerPeriod, targets: KpiTargets): Promise<WorkerPage> {
	const [figures] = await workerFigures(db, [worker], p, targets);
	const byCategory = await reportsByCategory(db, worker.id, p);
	const weeks: WorkerPage['weeks'] = [];
	for (const period of cutPeriods(p.from, p.to, 'week', p.now)) {
		const [f] = await workerFigures(db, [worker], { ...p, from: period.from, to: period.to }, targets);
		weeks.push({ period, figures: f });
	}
	return { figures, byCategory, weeks };
}

export interface Street { code: string; name: string }

/** The streets `viewer` may rank: all for admins, those in a leader's area; none for anyone else. */
export async function rankableStreets(db: Queryable, viewer: Viewer): Promise<Street[]> {
	if (viewer.role !== 'admin' && !(viewer.role === 'leader' && viewer.jurisdiction)) return [];
	const prefix = viewer.role === 'admin' ? '' : viewer.jurisdiction!;
	return db.sql<Street>`SELECT code, name FROM areas WHERE level = 'street' AND code LIKE ${`${prefix}%`} ORDER BY code`;
}

export interface StreetRanking {
	street: Street;
	/** one page of the ranking */
	rows: RankedWorker[];
	page: number;
	pages: number;
	/** workers in the street */
	total: number;
}

/** The ranking of every worker of the street (q.street, else the viewer's first), sorted and paged. */
export async function streetRanking(db: Queryable, viewer: Viewer, q: RankingQuery, p: WorkerPeriod, targets: KpiTargets, o: WorkerCountOptions = {}): Promise<{ all: RankedWorker[]; ranking: StreetRanking }> {
	const streets = await rankableStreets(db, viewer);
	const code = q.street ?? streets[0]?.code;
	if (!code) throw new ApiError(403, 'forbidden', '网格员排名由街道及以上负责人和管理员查看');
	assertMayRankStreet(viewer, code);
	const [street] = await db.sql<Street>`SELECT code, name FROM areas WHERE code = ${code} AND level = 'street'`;
	if (!street) throw notFound(`街道 ${code} 不存在`, 'street');
	const workers = await workerRows(db, null, code);
	const all = rankWorkers(await workerFigures(db, workers, p, targets, o), q.sort);
	return { all, ranking: { street, ...pageOf(all, q.page) } };
}
