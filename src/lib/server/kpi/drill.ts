// The households and hazards behind 入户走访覆盖率 and 隐患整改率 (their numerator or denominator),
// listed with the predicates their counts use (./fragments.ts): the total equals the number.
import { ApiError, badParam } from '../../domain/apierror';
import { DEFAULT_VISIT_DAYS, KPI_BY_KEY, type KpiKey } from '../../domain/kpi';
import type { RequestFilter } from '../../domain/requestfilter';
import type { Queryable } from '../db/client';
import { scope } from '../db/fragments';
import { and, sql, type Fragment } from '../db/sql';
import { hazardKpiSql, householdKpiSql } from './fragments';

/** The place KPIs a drill-down lists here; request KPIs list through /api/requests. */
export const PLACE_KPIS = ['visit_coverage', 'hazard_rate'] as const satisfies readonly KpiKey[];
export type PlaceKpi = (typeof PLACE_KPIS)[number];

export interface HouseholdRow { id: number; address: string; gridCode: string; gridName: string; size: number; lastVisitAt: Date | null }
export interface HazardRow {
	id: number; code: string; type: string; severity: number; status: string; title: string; gridCode: string; gridName: string;
	rectifyDeadline: Date; rectifiedAt: Date | null; reinspectedAt: Date | null;
}
export type PlaceList =
	| { subject: 'households'; kpi: 'visit_coverage'; part: 'num' | 'den'; total: number; rows: HouseholdRow[] }
	| { subject: 'hazards'; kpi: 'hazard_rate'; part: 'num' | 'den'; total: number; rows: HazardRow[] };

/** The KPI of a drill-down filter, when it is one listed here; a request KPI is named as such. */
export function placeKpi(f: Pick<RequestFilter, 'kpi'>): PlaceKpi {
	if (!f.kpi) throw badParam('kpi', `缺少参数 kpi（指标），可选：${PLACE_KPIS.join('、')}`);
	if (!(PLACE_KPIS as readonly string[]).includes(f.kpi)) {
		throw badParam('kpi', `${KPI_BY_KEY[f.kpi].label}（${f.kpi}）列的是诉求，请用 /api/requests?kpi=${f.kpi}；此处可选：${PLACE_KPIS.join('、')}`);
	}
	return f.kpi as PlaceKpi;
}

/**
 * The households or hazards behind one number of the scope (area, 包联; a department has none) and
 * period: `part` 'den' all of the denominator, 'num' the numerator; f.limit rows from f.offset.
 */
export async function listPlaces(db: Queryable, f: RequestFilter, o: { now?: Date; visitDays?: number } = {}): Promise<PlaceList> {
	const kpi = placeKpi(f);
	const now = o.now ?? new Date();
	const w: Fragment[] = scope({ area: f.area, pairing: f.pairing, department: null }, 'h');
	// households and hazards belong to places, not departments or kinds of request: their figure is 0/0
	if (f.department !== null || f.kind) w.push(sql`false`);
	if (kpi === 'visit_coverage') {
		const [den, num] = householdKpiSql(f.to, now, o.visitDays ?? DEFAULT_VISIT_DAYS);
		w.push(f.part === 'num' ? sql`${den} AND ${num}` : den);
		const [{ total }] = await db.sql<{ total: number }>`SELECT count(*) AS total FROM households h WHERE ${and(w)}`;
		const rows = await db.sql<HouseholdRow>`SELECT h.id, h.address, h.grid_code AS "gridCode", g.name AS "gridName", h.size,
			h.last_visit_at AS "lastVisitAt" FROM households h JOIN grids g ON g.code = h.grid_code WHERE ${and(w)}
			ORDER BY h.last_visit_at ASC NULLS FIRST, h.id LIMIT ${f.limit} OFFSET ${f.offset}`;
		return { subject: 'households', kpi, part: f.part, total: Number(total), rows };
	}
	if (kpi === 'hazard_rate') {
		const [den, num] = hazardKpiSql(f.from, f.to, now);
		w.push(f.part === 'num' ? sql`${den} AND ${num}` : den);
		const [{ total }] = await db.sql<{ total: number }>`SELECT count(*) AS total FROM hazards h WHERE ${and(w)}`;
		const rows = await db.sql<HazardRow>`SELECT h.id, h.code, h.type, h.severity, h.status, h.title, h.grid_code AS "gridCode", g.name AS "gridName",
			h.rectify_deadline AS "rectifyDeadline", h.rectified_at AS "rectifiedAt", h.reinspected_at AS "reinspectedAt"
			FROM hazards h JOIN grids g ON g.code = h.grid_code WHERE ${and(w)}
			ORDER BY h.rectify_deadline, h.id LIMIT ${f.limit} OFFSET ${f.offset}`;
		return { subject: 'hazards', kpi, part: f.part, total: Number(total), rows };
	}
	throw new ApiError(500, 'internal', `unhandled place KPI ${kpi satisfies never}`);
}
