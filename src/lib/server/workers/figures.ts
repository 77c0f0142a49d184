// 网格员工作情况 counted in SQL for a set of workers and a period: reports, door-knocks, the
// coverage of their grids and the KPIs of the requests they handled. Every definition comes from
// elsewhere: "reported"/"handled by" from domain/workers.ts, 入户走访覆盖率 from kpi/fragments.ts,
// 受理率/按期办结率/超期数 from db/fragments.ts, colours and score from domain/kpi.ts.
import { kpiValue, overallRag, rankScore, type KpiTargets } from '../../domain/kpi';
import { commonArea, GRID_CODE_LENGTH } from '../../domain/maparea';
import { REPORT_ACTION, WORKER_KPIS, type WorkerFigures } from '../../domain/workers';
import type { Queryable } from '../db/client';
import { kpiCountColumns, kpiCountJoins, OPEN_SQL } from '../db/fragments';
import { codes, empty, join, sql, type Fragment } from '../db/sql';
import { householdKpiSql } from '../kpi/fragments';
import { byCode, rollupHouseholdCounts, rollupRequestCounts, rollupsApply, type RollupScope } from '../kpi/rollups';

export interface WorkerPeriod {
	from: Date;
	/** exclusive */
	to: Date;
	now: Date;
	/** 入户走访覆盖率's N */
	days: number;
}

/**
 * The requests each worker of `ids` handled (domain handledBy: those of their grids), as a FROM
 * clause: `requests r` joined to its worker `ug.user_id`. `grids`, all the grids of those workers,
 * lets the planner read requests by requests_grid_status_idx; without it, under row-level security,
 * it read every request of the district once per worker (5 s for a street of 88 on PostgreSQL).
 * `joins` (those of kpiCountJoins) go between the request rows and the WHERE.
 */
export const handledFrom = (ids: number[], grids: string[], joins: Fragment = empty): Fragment => sql`user_grids ug
	JOIN requests r ON r.grid_code = ug.grid_code AND r.grid_code = ANY(${grids}::text[]) ${joins} WHERE ug.user_id = ANY(${ids}::int[])`;

/** 上报: request_events of the report action (a literal, so request_events_report_idx's predicate matches). */
const REPORTED = sql`e.action IN ${codes([REPORT_ACTION])}`;

type Counts = Record<string, number>;

async function byWorker(rows: Promise<Counts[]>): Promise<Map<number, Counts>> {
	return new Map((await rows).map((r) => [Number(r.worker), r]));
}

export interface WorkerCountOptions {
	/**
	 * Where the counts of their grids come from: 'auto' the daily rollups when they answer (a
	 * period of whole Beijing days, grids the reader sees whole: kpi/rollups.ts rollupsApply),
	 * else the direct definition; 'direct' always the latter; 'rollups' the former or an error
	 * (the tests compare the two, as for the KPIs).
	 */
	source?: 'auto' | 'direct' | 'rollups';
}

/** The counts behind WorkerFigures, per worker id. */
export async function workerCounts(db: Queryable, workers: WorkerRow[], p: WorkerPeriod, o: WorkerCountOptions = {}): Promise<Map<number, Counts>> {
	const ids = workers.map((w) => w.id);
	// their grids as workerRows read them (user_grids, every row of which names a grid)
	const assigned = workers.flatMap((w) => w.grids.map((g) => ({ worker: w.id, grid: g.code })));
	const grids = [...new Set(assigned.map((a) => a.grid))];
	const reports = byWorker(db.sql`SELECT e.actor_id AS worker, count(*) AS reports FROM request_events e
		WHERE ${REPORTED} AND e.actor_id = ANY(${ids}::int[]) AND e.at >= ${p.from} AND e.at < ${p.to} GROUP BY 1`);
	const knocks = byWorker(db.sql`SELECT k.visitor_id AS worker, count(*) AS knocks, count(DISTINCT k.household_id) AS reached
		FROM door_knocks k WHERE k.visitor_id = ANY(${ids}::int[]) AND k.visited_at >= ${p.from} AND k.visited_at < ${p.to} GROUP BY 1`);
	const ofGrids = (await gridsFromRollups(db, grids, p, o.source ?? 'auto'))
		? rollupGridCounts(db, assigned, grids, p)
		: directGridCounts(db, ids, grids, p);
	// PGlite queues them anyway; on PostgreSQL they run side by side on the pool
	const parts = await Promise.all([reports, knocks, ...ofGrids]);
	const out = new Map<number, Counts>();
	for (const id of ids) out.set(id, Object.assign({}, ...parts.map((m) => m.get(id) ?? {})));
	return out;
}

/** The rollup scope that holds `grids`: their smallest common area (the street, for a street's ranking). */
const gridScope = (grids: string[], p: WorkerPeriod): RollupScope => ({ area: commonArea(grids), department: null, pairing: null, kind: null, from: p.from, to: p.to });

async function gridsFromRollups(db: Queryable, grids: string[], p: WorkerPeriod, source: NonNullable<WorkerCountOptions['source']>): Promise<boolean> {
	if (source === 'direct' || !grids.length) return false;
	const apply = await rollupsApply(db, gridScope(grids, p));
	if (!apply && source === 'rollups') throw new Error('workers: the rollups cannot answer these grids (a period of whole Beijing days, grids the reader sees whole)');
	return apply;
}

/**
 * 入户走访覆盖率 and the KPIs of the requests handled, counted live over every household and
 * request of the workers' grids: a street's ranking at 1 000 000 households read ~50 000 of each.
 */
function directGridCounts(db: Queryable, ids: number[], grids: string[], p: WorkerPeriod): Promise<Map<number, Counts>>[] {
	const [den, num] = householdKpiSql(p.to, p.now, p.days);
	const coverage = byWorker(db.sql`SELECT ug.user_id AS worker, count(*) FILTER (WHERE ${den}) AS visit_coverage_den,
		count(*) FILTER (WHERE ${den} AND ${num}) AS visit_coverage_num
		FROM user_grids ug JOIN households h ON h.grid_code = ug.grid_code AND h.grid_code = ANY(${grids}::text[])
		WHERE ug.user_id = ANY(${ids}::int[]) GROUP BY 1`);
	const handled = byWorker(db.sql`SELECT ug.user_id AS worker, ${join(kpiCountColumns(p.from, p.to, p.now))},
		count(*) FILTER (WHERE r.status IN ${OPEN_SQL}) AS open FROM ${handledFrom(ids, grids, kpiCountJoins(p.from, p.to))} GROUP BY 1`);
	return [coverage, handled];
}

/**
 * The same counts from the daily rollups, per grid of the workers' common area, each worker then
 * the sum of their grids (a grid shared by two workers counts for both, as the direct join does).
 */
function rollupGridCounts(db: Queryable, assigned: { worker: number; grid: string }[], grids: string[], p: WorkerPeriod): Promise<Map<number, Counts>>[] {
	const s = gridScope(grids, p);
	const perWorker = async (perGrid: Promise<Map<string, Counts>>) => {
		const counts = await perGrid;
		const sums = byCode(assigned.map(({ worker, grid }) => ({ ...counts.get(grid), code: worker })));
		return new Map([...sums].map(([worker, c]) => [Number(worker), c]));
	};
	return [perWorker(rollupHouseholdCounts(db, s, p.now, p.days, GRID_CODE_LENGTH)), perWorker(rollupRequestCounts(db, s, p.now, GRID_CODE_LENGTH))];
}

export interface WorkerRow { id: number; name: string; username: string; grids: { code: string; name: string }[] }

/** The figures of `workers` for the period, coloured by `targets`. */
export async function workerFigures(db: Queryable, workers: WorkerRow[], p: WorkerPeriod, targets: KpiTargets, o: WorkerCountOptions = {}): Promise<WorkerFigures[]> {
	if (!workers.length) return [];
	const counts = await workerCounts(db, workers, p, o);
	return workers.map((w) => {
		const c = counts.get(w.id) ?? {};
		const n = (k: string) => Number(c[k] ?? 0);
		// 超期数 is rated per 1 000 households of the worker's grids, as /kpi rates an area's
		const ctx = { targets, households: n('visit_coverage_den') };
		const values = WORKER_KPIS.map((k) => kpiValue(k, n(`${k}_num`), k === 'overdue' ? null : n(`${k}_den`), ctx));
		const open = n('open');
		return { ...w, reports: n('reports'), knocks: n('knocks'), reached: n('reached'), values, open, rag: overallRag(values), score: rankScore(values, open) };
	});
}

/** The worker's reports in the period by 大类 (the category's parent), most first. */
export async function reportsByCategory(db: Queryable, workerId: number, p: WorkerPeriod): Promise<{ code: string; name: string; n: number }[]> {
	const rows = await db.sql<{ code: string; name: string; n: number }>`SELECT coalesce(pc.code, c.code) AS code, coalesce(pc.name, c.name) AS name, count(*) AS n
		FROM request_events e JOIN requests r ON r.id = e.request_id JOIN categories c ON c.code = r.category_code
		LEFT JOIN categories pc ON pc.code = c.parent_code
		WHERE ${REPORTED} AND e.actor_id = ${workerId} AND e.at >= ${p.from} AND e.at < ${p.to}
		GROUP BY 1, 2 ORDER BY 3 DESC, 1`;
	return rows.map((r) => ({ ...r, n: Number(r.n) }));
}
