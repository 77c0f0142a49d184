// Every KPI of domain.md counted in SQL for a scope (area, department, a leader's 包联 set) and a
// period, optionally grouped by the child areas of the scope for the red/amber/green ranking.
import { DEFAULT_VISIT_DAYS, kpiValue, overallRag, rankScore, type KpiTargets, type KpiValue, type Rag } from '../../domain/kpi';
import { seriesPeriods, type SeriesPeriod, type SeriesStep } from '../../domain/kpiseries';
import type { RequestFilter } from '../../domain/requestfilter';
import type { Queryable } from '../db/client';
import { BESIDE_REQUEST_KPIS, kpiCountColumns, PETITION_REQUEST_KPIS, kpiCountJoins, OPEN_SQL, REQUEST_KPIS, scope } from '../db/fragments';
import { and, join, sql, type Fragment } from '../db/sql';
import { hazardKpiSql, householdKpiSql } from './fragments';
import { kpiTargets } from './targets';
import { rollupHazardCounts, rollupHouseholdCounts, rollupRequestCounts, rollupsApply } from './rollups';

export type KpiScope = Pick<RequestFilter, 'area' | 'department' | 'pairing' | 'from' | 'to'> & {
	/** requests of this kind only (诉求, 信访件, 矛盾纠纷, 微心愿); households and hazards have no kind */
	kind?: RequestFilter['kind'];
};

/** The KPI scope of a request filter (/kpi, /api/kpi and its trends read the same query). */
export const kpiScopeOf = (f: RequestFilter): KpiScope =>
	({ area: f.area, department: f.department, pairing: f.pairing, kind: f.kind, from: f.from, to: f.to });

/** The scope's conditions on `requests r`: where, whose, and of which kind. */
function requestScope(s: KpiScope): Fragment[] {
	const w = scope(s);
	if (s.kind) w.push(sql`r.kind = ${s.kind}`);
	return w;
}
export interface KpiOptions {
	now?: Date;
	visitDays?: number;
	/** 目标值; the configured ones (kpiTargets) when absent */
	targets?: KpiTargets;
	/**
	 * Where the counts come from: 'auto' the daily rollups (./rollups.ts) when they answer the
	 * scope exactly, else the direct definition; 'direct' always the latter; 'rollups' the former or
	 * an error (the tests and the bench compare the two).
	 */
	source?: 'auto' | 'direct' | 'rollups';
	/**
	 * false: 超期数 is not wanted (the big screen's previous period shows no arrow for it), so a past
	 * period's history is not read for it; it comes out as 0. Rollups only.
	 */
	overdue?: boolean;
}
type Counts = Record<string, number>;

/** GROUP BY key for child areas, or '' for one total. */
const groupKey = (len: number | null, col: Fragment) => (len ? sql`left(${col}, ${len})` : sql`''`);

async function requestCounts(db: Queryable, s: KpiScope, now: Date, len: number | null): Promise<Map<string, Counts>> {
	return byCode(await db.sql`SELECT ${groupKey(len, sql`r.grid_code`)} AS code, ${join(kpiCountColumns(s.from, s.to, now))},
		count(*) FILTER (WHERE r.status IN ${OPEN_SQL}) AS open
		FROM requests r ${kpiCountJoins(s.from, s.to)} WHERE ${and(requestScope(s))} GROUP BY 1`);
}

async function whistleCounts(db: Queryable, s: KpiScope, len: number | null): Promise<Map<string, Counts>> {
	const w = requestScope({ ...s, department: null });
	if (s.department) w.push(sql`s.department_id = ${s.department}`);
	w.push(sql`s.summoned_at >= ${s.from} AND s.summoned_at < ${s.to}`);
	return byCode(await db.sql`SELECT ${groupKey(len, sql`r.grid_code`)} AS code, count(*) AS whistle_rate_den,
		count(*) FILTER (WHERE s.checked_in_at <= s.deadline) AS whistle_rate_num
		FROM whistle_summons s JOIN requests r ON r.id = s.request_id WHERE ${and(w)} GROUP BY 1`);
}

async function householdCounts(db: Queryable, s: KpiScope, now: Date, days: number, len: number | null): Promise<Map<string, Counts>> {
	const w = scope({ area: s.area, pairing: s.pairing, department: null }, 'h');
	const [den, num] = householdKpiSql(s.to, now, days);
	return byCode(await db.sql`SELECT ${groupKey(len, sql`h.grid_code`)} AS code, count(*) FILTER (WHERE ${den}) AS visit_coverage_den,
		count(*) FILTER (WHERE ${den} AND ${num}) AS visit_coverage_num FROM households h WHERE ${and(w)} GROUP BY 1`);
}

async function hazardCounts(db: Queryable, s: KpiScope, now: Date, len: number | null): Promise<Map<string, Counts>> {
	const w = scope({ area: s.area, pairing: s.pairing, department: null }, 'h');
	const [den, num] = hazardKpiSql(s.from, s.to, now);
	w.push(den);
	return byCode(await db.sql`SELECT ${groupKey(len, sql`h.grid_code`)} AS code, count(*) AS hazard_rate_den,
		count(*) FILTER (WHERE ${num}) AS hazard_rate_num FROM hazards h WHERE ${and(w)} GROUP BY 1`);
}

function byCode(rows: Counts[]): Map<string, Counts> {
	return new Map(rows.map((r) => [String(r.code), r]));
}

/** department: the scope is a department's or one kind of request's, where households and hazards have no say. */
function values(c: Counts, department: boolean, targets: KpiTargets | undefined): KpiValue[] {
	const n = (k: string) => Number(c[k] ?? 0);
	// the households of the scope (入户走访覆盖率's denominator) measure 超期数 per 1 000 households
	const ctx = { targets, households: department ? null : n('visit_coverage_den') };
	const out: KpiValue[] = [...REQUEST_KPIS, 'whistle_rate' as const].map((k) => kpiValue(k, n(`${k}_num`), n(`${k}_den`), ctx));
	// households and hazards belong to places, not departments: nothing to say for a department
	for (const k of ['visit_coverage', 'hazard_rate'] as const) out.push(department ? kpiValue(k, 0, 0, ctx) : kpiValue(k, n(`${k}_num`), n(`${k}_den`), ctx));
	return out;
}

/** The KPIs shown beside others (最终满意率 beside 满意率), coloured by the target of the one they accompany. */
function besideValues(c: Counts, targets: KpiTargets, keys = BESIDE_REQUEST_KPIS): KpiValue[] {
	return keys.map((k) => kpiValue(k, Number(c[`${k}_num`] ?? 0), Number(c[`${k}_den`] ?? 0), { targets }));
}

/** Whether the rollups count this scope (KpiOptions.source). */
async function fromRollups(db: Queryable, s: KpiScope, o: KpiOptions): Promise<boolean> {
	const source = o.source ?? 'auto';
	if (source === 'direct') return false;
	const apply = await rollupsApply(db, s);
	if (!apply && source === 'rollups') throw new Error('kpi: the rollups cannot answer this scope (a period of whole Beijing days, an area the reader sees whole)');
	return apply;
}

async function countAll(db: Queryable, s: KpiScope, o: KpiOptions, len: number | null) {
	const now = o.now ?? new Date();
	const days = o.visitDays ?? DEFAULT_VISIT_DAYS;
	const rollups = await fromRollups(db, s, o);
	// side by side: on PostgreSQL's pool the slowest part's time, not the sum (PGlite queues them)
	const parts = await Promise.all(rollups
		? [rollupRequestCounts(db, s, now, len, o.overdue ?? true), rollupHouseholdCounts(db, s, now, days, len), rollupHazardCounts(db, s, now, len)]
		: [requestCounts(db, s, now, len), whistleCounts(db, s, len), householdCounts(db, s, now, days, len), hazardCounts(db, s, now, len)]);
	const merged = new Map<string, Counts>();
	for (const part of parts) for (const [code, c] of part) merged.set(code, { ...merged.get(code), ...c });
	return merged;
}

export type ScopeKpis = { values: KpiValue[]; beside: KpiValue[]; petition: KpiValue[]; open: number; rag: Rag; households: number | null };

/**
 * The KPIs of the scope: `values` (ranked, coloured, the area's overall colour) and `beside` (shown
 * next to one of them, e.g. 最终满意率; outside the overall colour and the ranking).
 */
export async function computeKpis(db: Queryable, s: KpiScope, o: KpiOptions = {}): Promise<ScopeKpis> {
	const c = (await countAll(db, s, o, null)).get('') ?? {};
	return kpisOf(c, s, o.targets ?? (await kpiTargets(db)));
}

function kpisOf(c: Counts, s: KpiScope, targets: KpiTargets): ScopeKpis {
	const department = s.department !== null || !!s.kind;
	const v = values(c, department, targets);
	// 化解率 of 信访件: its own section, outside the overall colour and the ranking
	return {
		values: v, beside: besideValues(c, targets), petition: besideValues(c, targets, PETITION_REQUEST_KPIS), open: Number(c.open ?? 0), rag: overallRag(v),
		// what 超期数 was coloured against (per 1 000 households; none for a department)
		households: department ? null : Number(c.visit_coverage_den ?? 0)
	};
}

/** pieces of a KPI series counted at the same time */
const SERIES_PARALLEL = 3;

export interface KpiSeries {
	step: SeriesStep;
	periods: SeriesPeriod[];
	/** per period, computeKpis' values for that period (in KPIS order) and its households */
	points: { values: KpiValue[]; households: number | null }[];
}

/**
 * The KPIs of the scope for each day, week or month of its period (domain/kpiseries.ts): each one
 * is computeKpis of that piece as if it had been chosen, so a trend's point and the figure /kpi
 * shows for that period are one count, never two SQL definitions that could drift apart.
 */
export async function kpiSeries(db: Queryable, s: KpiScope, o: KpiOptions = {}): Promise<KpiSeries> {
	const targets = o.targets ?? (await kpiTargets(db));
	const { step, periods } = seriesPeriods(s.from, s.to, o.now ?? new Date());
	const points: KpiSeries['points'] = [];
	// a few pieces at a time: on PostgreSQL they run side by side on the pool, leaving connections
	// for the other pages (PGlite, one connection, queues them anyway)
	for (let i = 0; i < periods.length; i += SERIES_PARALLEL) {
		const done = await Promise.all(periods.slice(i, i + SERIES_PARALLEL).map((p) => computeKpis(db, { ...s, from: p.from, to: p.to }, { ...o, targets })));
		points.push(...done.map((k) => ({ values: k.values, households: k.households })));
	}
	return { step, periods, points };
}

export interface RankedArea { code: string; name: string; values: KpiValue[]; open: number; rag: Rag; score: number }

/** The child areas' code length under a scope (district → streets → communities → grids), null below a grid. */
const childLen = (s: KpiScope) => (s.area ? { 6: 9, 9: 12, 12: 15 }[s.area.length] ?? null : 9);

/** The child areas of the scope (district → streets → communities → grids), best first. */
export async function rankChildren(db: Queryable, s: KpiScope, o: KpiOptions = {}): Promise<RankedArea[]> {
	const len = childLen(s);
	if (!len) return [];
	return ranked(db, s, await countAll(db, s, o, len), len, o.targets ?? (await kpiTargets(db)));
}

/**
 * computeKpis and rankChildren of one scope from one grouped count: a scope's grids are its
 * children's grids, and every count is a sum (of requests, events, households or hazards, each
 * in one grid), so the scope's counts are its children's added up. Half the queries of the two
 * calls (the big screen asks for both at once).
 */
export async function computeKpisAndChildren(db: Queryable, s: KpiScope, o: KpiOptions = {}): Promise<{ kpis: ScopeKpis; children: RankedArea[] }> {
	const len = childLen(s);
	const targets = o.targets ?? (await kpiTargets(db));
	if (!len) return { kpis: await computeKpis(db, s, { ...o, targets }), children: [] };
	const counts = await countAll(db, s, o, len);
	const total: Counts = {};
	for (const c of counts.values()) for (const [k, v] of Object.entries(c)) if (k !== 'code') total[k] = (total[k] ?? 0) + Number(v ?? 0);
	return { kpis: kpisOf(total, s, targets), children: await ranked(db, s, counts, len, targets) };
}

async function ranked(db: Queryable, s: KpiScope, counts: Map<string, Counts>, len: number, targets: KpiTargets): Promise<RankedArea[]> {
	const like = `${s.area ?? ''}%`;
	const names = len === 15
		? await db.sql<{ code: string; name: string }>`SELECT code, name FROM grids WHERE code LIKE ${like}`
		: await db.sql<{ code: string; name: string }>`SELECT code, name FROM areas WHERE length(code) = ${len} AND code LIKE ${like}`;
	return names
		.map(({ code, name }) => {
			const c = counts.get(code) ?? {};
			const v = values(c, s.department !== null || !!s.kind, targets);
			const open = Number(c.open ?? 0);
			return { code, name, values: v, open, rag: overallRag(v), score: rankScore(v, open) };
		})
		.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
}

export interface WishCounts { posted: number; claimed: number; fulfilled: number }

/** 微心愿 of the scope posted in the period: how many were claimed (认领 = 接单) and fulfilled (办结). */
export async function wishCounts(db: Queryable, s: KpiScope): Promise<WishCounts> {
	const w = [...scope(s), sql`r.kind = 'wish'`, sql`r.reported_at >= ${s.from} AND r.reported_at < ${s.to}`];
	const [row] = await db.sql<WishCounts>`SELECT count(*) AS posted, count(r.accepted_at) AS claimed,
		count(r.resolved_at) AS fulfilled FROM requests r WHERE ${and(w)}`;
	return row;
}
