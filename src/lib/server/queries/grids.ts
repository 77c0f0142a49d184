// Grid polygons (GeoJSON, built in SQL as text so 600 polygons never pass through JSON.parse)
// and the per-grid counts behind the choropleth, computed against now() on every build.
import type { Database } from '../db/client';
import { legendFor, MEASURES, measureValue, type GridStat, type GridStats, type MeasureKey } from '../../domain/measures';
import { makeCached, mapCache, type Cached } from './cache';
import { scopeOf } from '../access/userdb';
import { versions } from './versions';
import { sql } from '../db/sql';
import { HAZARD_NOT_CLOSED_SQL, NOW, OPEN_SQL, overdueSql } from '../db/fragments';
import { userArea } from './userArea';
import { inScope } from '../../domain/maparea';
import { lastDays } from '../../domain/calendar';
import { localDate } from '../../domain/time';
import { DEFAULT_VISIT_DAYS } from '../../domain/kpi';

// GeoJSON with 5 decimals (≈ 1 m): shared edges round identically on both sides.

export async function gridsGeojson(db: Database): Promise<Cached> {
	const v = (await versions(db)).grids;
	return mapCache.get(`grids:${v}`, async () => {
		const [r] = await db.sql<{ doc: string }>`
			SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
				'type', 'Feature',
				'properties', json_build_object('code', code, 'name', name, 'community', community_code),
				'geometry', ST_AsGeoJSON(geom, 5)::json) ORDER BY code), '[]'::json))::text AS doc
			FROM grids WHERE valid_to IS NULL`;
		return makeCached(r.doc, 'application/geo+json; charset=utf-8', null);
	});
}

/** Cache key bucket for now()-dependent counts, ms. */
const STATS_BUCKET_MS = 60_000;

export async function gridStats(db: Database, measure: MeasureKey): Promise<Cached<GridStats>> {
	const v = await versions(db);
	const bucket = Math.floor(Date.now() / STATS_BUCKET_MS);
	const key = `gridstats:${scopeOf(db)}:${measure}:${v.households}:${v.requests}:${v.hazards}:${v.grids}:${bucket}`;
	return mapCache.get(key, async () => {
		const [counts, area] = await Promise.all([gridCounts(db), scopeOf(db) === 'all' ? null : userArea(db)]);
		// outside the user's scope row-level security hides the rows: no value there (the map dims
		// those grids), and the class breaks come from the user's own grids only
		const grids = counts.map((c) => ({ ...c, value: inScope(area, c.code) ? measureValue(measure, c) : null }));
		const legend = legendFor(measure, grids.filter((g) => inScope(area, g.code)).map((g) => g.value));
		const body: GridStats = { measure, ...pick(MEASURES[measure]), legend, generatedAt: new Date().toISOString(), grids };
		return makeCached(JSON.stringify(body), 'application/json; charset=utf-8', body);
	});
}

const pick = (m: { label: string; unit: string }) => ({ label: m.label, unit: m.unit });

async function gridCounts(db: Database): Promise<Omit<GridStat, 'value'>[]> {
	return db.run(gridCountsSql(new Date()));
}

/**
 * Per-grid counts behind every measure (exported so the benchmark can time the bare query). The
 * households and the 近90天 visited ones come from the household rollup (kpi_household_daily, one
 * row per grid and day of last visit: a few thousand rows, not every household), counted as
 * 入户走访覆盖率 counts them (Beijing calendar days, rollups.ts), so the map and /kpi agree.
 */
export function gridCountsSql(now: Date) {
	const since = localDate(lastDays(DEFAULT_VISIT_DAYS, now).from);
	return sql`
		WITH h AS (
			SELECT grid_code, sum(households)::int AS n,
			       coalesce(sum(households) FILTER (WHERE day >= ${since}::date), 0)::int AS visited
			FROM kpi_household_daily GROUP BY grid_code),
		r AS (
			SELECT grid_code, count(*) AS open, count(*) FILTER (WHERE ${overdueSql(NOW, '')}) AS overdue
			FROM requests WHERE status IN ${OPEN_SQL} GROUP BY grid_code),
		z AS (SELECT grid_code, count(*) AS n FROM hazards WHERE status IN ${HAZARD_NOT_CLOSED_SQL} GROUP BY grid_code)
		SELECT g.code, coalesce(h.n, 0)::int AS households, coalesce(h.visited, 0)::int AS "visited90",
		       coalesce(r.open, 0)::int AS open, coalesce(r.overdue, 0)::int AS overdue, coalesce(z.n, 0)::int AS hazards
		FROM grids g
		LEFT JOIN h ON h.grid_code = g.code
		LEFT JOIN r ON r.grid_code = g.code
		LEFT JOIN z ON z.grid_code = g.code
		ORDER BY g.code`;
}
