// /kpi's trends, shared for a minute: kpiSeries counts the whole KPI set once per day/week/month
// (computeKpis each time: a few ms a piece from the rollups, about a second where a leader looks
// beyond their own area and the direct count runs), so the page asks for them after it has shown its
// figures, and a second look (or a second leader) within a minute costs nothing.
import { scopeOf } from '../access/userdb';
import { TtlCache } from '../cache';
import type { Database } from '../db/client';
import { heavyReport, REPORTS } from '../db/heavy';
import { kpiSeries, type KpiOptions, type KpiScope, type KpiSeries } from './kpi';

const series = new TtlCache<KpiSeries>(60_000, 32, 'kpi_series');

/** A cached series comes at once; a new one waits its turn in the heavy-report lane like /kpi itself. */
export function cachedKpiSeries(db: Database, s: KpiScope, o: KpiOptions & { visitDays: number }): Promise<KpiSeries> {
	const key = JSON.stringify([scopeOf(db), s.area, s.department, s.pairing, s.kind ?? null, s.from.getTime(), s.to.getTime(), o.visitDays, o.targets ?? null]);
	return series.get(key, () => heavyReport(db, REPORTS.kpiSeries, (q) => kpiSeries(q, s, o)));
}
