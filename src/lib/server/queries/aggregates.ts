// Per-grid counts of households, open requests and 未销号 hazards with a point inside each grid:
// what the map draws below street zoom instead of points (domain/aggregates.ts). Households come
// from the rollup kpi_household_daily (0024, kept by triggers): a few rows per grid instead of a
// scan of every household. Row-level security scopes every table read here, and grids outside
// the viewer's area are left out, so a grid worker gets their own grids only.
import type { Database } from '../db/client';
import type { AggregatesDoc, GridAggregate } from '../../domain/aggregates';
import { inScope } from '../../domain/maparea';
import { makeCached, mapCache, type Cached } from './cache';
import { scopeOf } from '../access/userdb';
import { versions } from './versions';
import { sql } from '../db/sql';
import { HAZARD_NOT_CLOSED_SQL, NOW, OPEN_SQL, overdueSql } from '../db/fragments';
import { userArea } from './userArea';

/** The query behind the document (exported so the benchmark times it bare). */
export const AGGREGATES_SQL = sql`
	WITH h AS (SELECT grid_code, sum(households)::int AS n FROM kpi_household_daily GROUP BY grid_code),
	r AS (
		SELECT grid_code, count(*)::int AS open, (count(*) FILTER (WHERE ${overdueSql(NOW, '')}))::int AS overdue
		FROM requests WHERE status IN ${OPEN_SQL} GROUP BY grid_code),
	z AS (SELECT grid_code, count(*)::int AS n FROM hazards WHERE status IN ${HAZARD_NOT_CLOSED_SQL} GROUP BY grid_code),
	g AS (SELECT code, ST_PointOnSurface(geom) AS p FROM grids WHERE valid_to IS NULL)
	SELECT g.code, round(ST_X(g.p)::numeric, 5)::float8 AS lon, round(ST_Y(g.p)::numeric, 5)::float8 AS lat,
	       coalesce(h.n, 0) AS households, coalesce(r.open, 0) AS requests, coalesce(r.overdue, 0) AS overdue, coalesce(z.n, 0) AS hazards
	FROM g
	LEFT JOIN h ON h.grid_code = g.code
	LEFT JOIN r ON r.grid_code = g.code
	LEFT JOIN z ON z.grid_code = g.code
	ORDER BY g.code`;

/** Overdue flags age with the clock: a document is rebuilt at most once a minute per data version. */
const BUCKET_MS = 60_000;

export async function gridAggregates(db: Database, now = Date.now()): Promise<Cached<AggregatesDoc>> {
	const v = await versions(db);
	const key = `aggregates:${scopeOf(db)}:${v.households}:${v.requests}:${v.hazards}:${v.grids}:${Math.floor(now / BUCKET_MS)}`;
	return mapCache.get(key, async () => {
		const [rows, area] = await Promise.all([db.run<GridAggregate>(AGGREGATES_SQL), scopeOf(db) === 'all' ? null : userArea(db)]);
		const body: AggregatesDoc = { generatedAt: new Date(now).toISOString(), grids: rows.filter((g) => inScope(area, g.code)) };
		return makeCached(JSON.stringify(body), 'application/json; charset=utf-8', body);
	});
}
