// The dashboard's aggregate queries on a seeded database, through the server functions the pages
// call: KPIs of the whole district and of each street (computeKpis), the street ranking
// (rankChildren), the big screen's summary, the grid workers' street ranking (/workers), the
// deadline-notice scan, and the hotspot analysis (analyze: SQL + DBSCAN + Gi*).
// Each is timed 3 times (per street: once per street) and reported as p50 / p95 in ms.
import type { Db } from '../../src/lib/server/db/client';
import { computeKpis, rankChildren, type KpiScope } from '../../src/lib/server/kpi/kpi';
import { analyze } from '../../src/lib/server/hotspots/analysis';
import { parseHotspotFilter } from '../../src/lib/server/hotspots/filters';
import { screenSummary } from '../../src/lib/server/screen/summary';
import { writeDueDeadlineNotices } from '../../src/lib/server/notifications/notices';
import { p50, p95, timed, type Figures } from './report';
import { lastDays } from '../../src/lib/domain/calendar';
import { moveRequest } from '../../src/lib/server/requests/transition';
import { asUser } from '../../src/lib/server/access/userdb';
import { kpiTargets } from '../../src/lib/server/kpi/targets';
import { parseWorkerPeriod } from '../../src/lib/domain/workers';
import { streetRanking } from '../../src/lib/server/workers/workers';

async function repeat(n: number, fn: () => Promise<unknown>): Promise<number[]> {
	const out: number[] = [];
	for (let i = 0; i < n; i++) out.push((await timed(fn))[1]);
	return out;
}

export async function benchQueries(db: Db, now: Date, figures: Figures, print: (line: string) => void) {
	const to = now, from = new Date(now.getTime() - 30 * 86_400_000);
	const scope = (area: string | null): KpiScope => ({ area, department: null, pairing: null, from, to });
	const streets = (await db.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'street' ORDER BY code`)).map((r) => r.code);

	const district = await repeat(3, () => computeKpis(db, scope(null), { now }));
	figures.set('kpi: district computeKpis p50 ms', p50(district));
	// a period that has ended counts 超期 at its end from the request history (overdueAtSql)
	const ended: KpiScope = { ...scope(null), from: new Date(from.getTime() - 30 * 86_400_000), to: from };
	figures.set('kpi: district computeKpis, an ended 30-day period p50 ms', p50(await repeat(3, () => computeKpis(db, ended, { now }))));
	const perStreet: number[] = [];
	for (const s of streets) perStreet.push((await timed(() => computeKpis(db, scope(s), { now })))[1]);
	figures.set(`kpi: per street computeKpis (${streets.length} streets) p50 ms`, p50(perStreet));
	figures.set(`kpi: per street computeKpis p95 ms`, p95(perStreet));
	figures.set('kpi: street ranking rankChildren(district) p50 ms', p50(await repeat(3, () => rankChildren(db, scope(null), { now }))));
	figures.set('screen: summary, district p50 ms', p50(await repeat(3, () => screenSummary(db, null, now))));
	figures.set('screen: summary, one street p50 ms', p50(await repeat(3, () => screenSummary(db, streets[0], now))));

	await benchRollups(db, now, figures, print);

	// the periodic 即将到期 job (every few minutes per app process): the first run writes, later ones find them written
	figures.set('notices: deadline scan, all departments (first run) ms', (await timed(() => writeDueDeadlineNotices(db, now)))[1]);
	figures.set('notices: deadline scan, all departments (again) p50 ms', p50(await repeat(3, () => writeDueDeadlineNotices(db, now))));

	const f = parseHotspotFilter(new URLSearchParams(), new Set());
	let last: Awaited<ReturnType<typeof analyze>> | null = null;
	const runs = await repeat(2, async () => (last = await analyze(db, f, now)));
	figures.set(`hotspots: analyze (default filter, ${f.days} days) p50 ms`, p50(runs));
	for (const [k, v] of Object.entries(last!.timings)) figures.set(`hotspots: analyze, of which ${k} ms`, v);
	print(`  ${db.kind}: hotspot analysis on ${last!.points.lon.length.toLocaleString()} points, ${last!.clusters.length} clusters`);
}

/** Goals of issue 18 for the KPI figures read from the rollups (0021), at 1 000 000 households. */
const KPI_GOAL_MS = 50;
const SCREEN_GOAL_MS = 200;
/** The street ranking of grid workers (/workers) should answer as fast as the big screen's summary. */
const WORKERS_GOAL_MS = 200;

/**
 * Issue 18, "KPIs from rollups": the district × 1 year KPIs and the big screen's district summary,
 * counted directly (before) and from the daily rollups (after), side by side in one run, each
 * printed with its goal; the two give the same figures (checked here too), and the backfill's time.
 */
async function benchRollups(db: Db, now: Date, figures: Figures, print: (line: string) => void) {
	const year: KpiScope = { area: null, department: null, pairing: null, ...lastDays(365, now) };
	const direct = await repeat(3, () => computeKpis(db, year, { now, source: 'direct' }));
	const rolled = await repeat(5, () => computeKpis(db, year, { now, source: 'rollups' }));
	const screenDirect = await repeat(3, () => screenSummary(db, null, now, 'direct'));
	// the first look on a new day counts the previous period's 入户走访覆盖率 from the door-knocks;
	// later looks read it kept (rollups.ts, 0037): both are shown
	const [, screenFirst] = await timed(() => screenSummary(db, null, new Date(now.getTime() - 86_400_000), 'rollups'));
	const screenRolled = await repeat(5, () => screenSummary(db, null, now, 'rollups'));
	figures.set('kpi: district 1 year computeKpis, direct (before) p50 ms', p50(direct));
	figures.set(`kpi: district 1 year computeKpis, rollups (after) p50 ms, goal ≤ ${KPI_GOAL_MS}`, p50(rolled));
	figures.set('screen: summary, district, direct (before) p50 ms', p50(screenDirect));
	figures.set(`screen: summary, district, rollups (after) p50 ms, goal ≤ ${SCREEN_GOAL_MS}`, p50(screenRolled));
	figures.set('screen: summary, district, rollups, first look on a new day (past window counted) ms', screenFirst);
	const same = JSON.stringify((await computeKpis(db, year, { now, source: 'direct' })).values) ===
		JSON.stringify((await computeKpis(db, year, { now, source: 'rollups' })).values);
	const sameScreen = JSON.stringify(await screenSummary(db, null, now, 'direct')) === JSON.stringify(await screenSummary(db, null, now, 'rollups'));
	const [{ n }] = await db.query<{ n: number }>('SELECT count(*) AS n FROM kpi_daily');
	const [admin] = await db.query<{ id: number }>(`SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1`);
	const workers = await benchWorkersRanking(db, now, admin);

	// what the triggers cost a write: 接单 of dispatched requests, with the triggers and without
	// (then the rebuild below counts everything again)
	const dispatched = await db.query<{ id: number; version: number }>(`SELECT id, version FROM requests WHERE status = 'dispatched' ORDER BY id LIMIT 20`);
	const accept = (r: { id: number; version: number }) => moveRequest(db, { id: admin.id, role: 'admin', departmentId: null },
		{ requestId: r.id, action: 'accept', version: r.version, now });
	const withTriggers: number[] = [];
	const without: number[] = [];
	for (const r of dispatched.slice(0, 10)) withTriggers.push((await timed(() => accept(r)))[1]);
	await db.exec('SELECT kpi_triggers_enable(false)');
	try {
		for (const r of dispatched.slice(10)) without.push((await timed(() => accept(r)))[1]);
	} finally {
		await db.exec('SELECT kpi_triggers_enable(true)');
	}
	if (withTriggers.length && without.length) {
		figures.set('kpi: a request move (接单), rollup triggers on p50 ms', p50(withTriggers));
		figures.set('kpi: a request move (接单), rollup triggers off p50 ms', p50(without));
	}
	const [, rebuildMs] = await timed(() => db.exec('SELECT kpi_rollups_rebuild()'));
	figures.set('kpi: rollups rebuild (the backfill), s', rebuildMs / 1000);
	figures.set('kpi: rollup rows (kpi_daily)', n);
	const verdict = (ms: number, goal: number) => `${Math.round(ms)} (goal ≤ ${goal}) ${ms <= goal ? 'met' : 'MISSED'}`;
	print(`  ${db.kind}: KPI district 1 year ms: ${verdict(p50(rolled), KPI_GOAL_MS)}; before (direct) ${Math.round(p50(direct))}; same figures: ${same ? 'yes' : 'NO'}`);
	print(`  ${db.kind}: screen summary district ms: ${verdict(p50(screenRolled), SCREEN_GOAL_MS)} (the first look on a new day ${Math.round(screenFirst)}); before (direct) ${Math.round(p50(screenDirect))}; same figures: ${sameScreen ? 'yes' : 'NO'}`);
	if (workers) {
		figures.set('workers: street ranking (largest street), direct (before) p50 ms', p50(workers.direct));
		figures.set(`workers: street ranking (largest street), rollups (after) p50 ms, goal ≤ ${WORKERS_GOAL_MS}`, p50(workers.rolled));
		print(`  ${db.kind}: street ranking of ${workers.count} grid workers (${workers.street}) ms: ${verdict(p50(workers.rolled), WORKERS_GOAL_MS)}; before (direct) ${Math.round(p50(workers.direct))}; same figures: ${workers.same ? 'yes' : 'NO'}`);
	}
	print(`  ${db.kind}: ${n.toLocaleString('en')} rollup rows; rebuild ${(rebuildMs / 1000).toFixed(1)} s`);
}

/**
 * 网格员工作情况: the ranking of the street with the most grid workers, as an admin opens /workers
 * (its default period), counted directly (before) and from the rollups (after).
 */
async function benchWorkersRanking(db: Db, now: Date, admin: { id: number } | undefined) {
	const [street] = await db.query<{ code: string }>(`SELECT left(grid_code, 9) AS code FROM user_grids GROUP BY 1 ORDER BY count(DISTINCT user_id) DESC, 1 LIMIT 1`);
	if (!street || !admin) return null;
	const viewer = { id: admin.id, role: 'admin' as const, username: 'admin', displayName: 'admin', departmentId: null, title: null };
	const udb = asUser(db, viewer);
	const targets = await kpiTargets(udb);
	const period = parseWorkerPeriod(new URLSearchParams(), now);
	const rank = (source: 'direct' | 'rollups') => streetRanking(udb, viewer, { street: street.code, sort: 'score', page: 1 }, period, targets, { source });
	const direct = await repeat(3, () => rank('direct'));
	const rolled = await repeat(5, () => rank('rollups'));
	const [a, b] = [await rank('direct'), await rank('rollups')];
	return { street: street.code, count: a.all.length, direct, rolled, same: JSON.stringify(a.all) === JSON.stringify(b.all) };
}
