// /kpi's trends, shared for a minute: kpiSeries counts the whole KPI set once per day/week/month
// (computeKpis each time, ~1 s a piece on PGlite for a district), so the page asks for them after it
// has shown its figures, and a second look (or a second leader) within a minute costs nothing.
import { scopeOf } from '../access/userdb';
import { TtlCache } from '../cache';
import type { Queryable } from '../db/client';
import { kpiSeries, type KpiOptions, type KpiScope, type KpiSeries } from './kpi';

const series = new TtlCache<KpiSeries>(60_000, 32, 'kpi_series');

export function cachedKpiSeries(db: Queryable, s: KpiScope, o: KpiOptions & { visitDays: number }): Promise<KpiSeries> {
	const key = JSON.stringify([scopeOf(db), s.area, s.department, s.pairing, s.kind ?? null, s.from.getTime(), s.to.getTime(), o.visitDays, o.targets ?? null]);
	return series.get(key, () => kpiSeries(db, s, o));
}
