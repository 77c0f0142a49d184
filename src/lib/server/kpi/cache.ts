// The KPI reports (/kpi, /api/kpi and their trends), cached. Under load they were the bottleneck
// (issue 18): every look counted its scope afresh in the heavy-report lane, two at a time, and the
// other 90 % of the traffic waited for the pool behind them.
//
// A report is kept per scope, period, options and KPI data version (data_version_kpi, 0035: moved
// on by any write that can change a KPI), so a write is seen by the next look. What moves with the
// clock alone (超期 as deadlines pass, today's due cut of 办结率) may lag by TTL_MS at most.
// Where the rollups answer the scope (rollups.ts rollupsApply) the figures are the same whoever
// asks, so one report serves every reader of that scope; else it is kept per reader's scope.
// Concurrent looks at one report share one count (TtlCache keeps the pending promise).
//
// A race the key cannot see: a write's counter moves at its statement, before it commits; a report
// counted in between is kept under the new version with the old figures, until the next write or
// TTL_MS. Rare (a write and a first look within milliseconds) and short; a counter row moved at
// commit would make every writer queue on one row instead.
import type { KpiTargets } from '../../domain/kpi';
import { scopeOf, systemOf } from '../access/userdb';
import { perDatabase, TtlCache } from '../cache';
import type { Database, Queryable } from '../db/client';
import { heavyReport, REPORTS } from '../db/heavy';
import { computeKpis, kpiSeries, rankChildren, type KpiOptions, type KpiScope, type KpiSeries } from './kpi';
import { sequenceVersion } from '../queries/versions';
import { rollupsApply } from './rollups';

/** How long a report is served at most (what the clock moves without a write). */
const TTL_MS = 60_000;

export interface KpiReport {
	total: Awaited<ReturnType<typeof computeKpis>>;
	ranking: Awaited<ReturnType<typeof rankChildren>>;
}
type Options = KpiOptions & { visitDays: number; targets: KpiTargets };

const cachesOf = perDatabase(() => ({ report: new TtlCache<KpiReport>(TTL_MS, 256, 'kpi_report'), series: new TtlCache<KpiSeries>(TTL_MS, 64, 'kpi_series') }));

/** The KPI data version (0035). */
export const kpiVersion = (db: Queryable): Promise<string> => sequenceVersion(db, 'data_version_kpi');

async function keyOf(db: Queryable, s: KpiScope, o: Options): Promise<string> {
	const shared = await rollupsApply(db, s);
	const version = await kpiVersion(db);
	return JSON.stringify([shared ? 'rollups' : scopeOf(db), version, s.area, s.department, s.pairing, s.kind ?? null,
		s.from.getTime(), s.to.getTime(), o.visitDays, o.targets]);
}

/** The scope's KPIs and its child areas ranked: cached, else counted in the heavy-report lane. */
export async function cachedKpiReport(db: Database, s: KpiScope, o: Options): Promise<KpiReport> {
	const key = await keyOf(db, s, o);
	return cachesOf(systemOf(db)).report.get(key, () =>
		heavyReport(db, REPORTS.kpi, async (q) => ({ total: await computeKpis(q, s, o), ranking: await rankChildren(q, s, o) })));
}

/** The scope's KPIs per day, week or month of its period (kpi.ts kpiSeries): cached, else counted in the lane. */
export async function cachedKpiSeries(db: Database, s: KpiScope, o: Options): Promise<KpiSeries> {
	const key = await keyOf(db, s, o);
	return cachesOf(systemOf(db)).series.get(key, () => heavyReport(db, REPORTS.kpiSeries, (q) => kpiSeries(q, s, o)));
}
