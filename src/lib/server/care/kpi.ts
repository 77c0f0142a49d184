// 关爱走访按时率 (care visits on time) for an area and a period, counted directly from care_visits
// (its household index) — no rollup: at the demo district's scale it takes milliseconds (README).
// The rule is careOnTime of src/lib/domain/care.ts: each care visit sets a deadline (its Beijing
// day + the household's frequency); deadlines in the period that were met by the next visit on or
// before them, ÷ those in the period that were met or have passed; a care household never visited
// by the period's end counts one missed deadline.
import { kpiValue, type KpiTargets, type KpiValue } from '../../domain/kpi';
import { localDate } from '../../domain/time';
import type { RequestFilter } from '../../domain/requestfilter';
import type { Queryable } from '../db/client';
import { scope } from '../db/fragments';
import { and, sql } from '../db/sql';
import { careDays } from './frequencies';
import { careHouseholds } from './due';

export type CareKpiScope = Pick<RequestFilter, 'area' | 'pairing' | 'from' | 'to'>;

export async function careKpi(db: Queryable, s: CareKpiScope, targets: KpiTargets, now = new Date()): Promise<KpiValue> {
	const days = await careDays(db);
	const fromDay = localDate(s.from);
	const toDay = localDate(new Date(s.to.getTime() - 1));
	const today = localDate(now);
	const where = and([sql`true`, ...scope({ area: s.area, pairing: s.pairing, department: null }, 'h')]);
	const [r] = await db.sql<{ num: number; den: number }>`
		WITH c AS (SELECT id, days FROM ${careHouseholds(days, where)}),
		v AS (
			SELECT cv.household_id, c.days, (cv.visited_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
			       lead((cv.visited_at AT TIME ZONE 'Asia/Shanghai')::date) OVER (PARTITION BY cv.household_id ORDER BY cv.visited_at, cv.id) AS next_day
			FROM care_visits cv JOIN c ON c.id = cv.household_id WHERE cv.visited_at < ${s.to}),
		d AS (SELECT day + days AS deadline, next_day FROM v)
		SELECT
			(SELECT count(*) FROM d WHERE deadline BETWEEN ${fromDay}::date AND ${toDay}::date AND next_day <= deadline) AS num,
			(SELECT count(*) FROM d WHERE deadline BETWEEN ${fromDay}::date AND ${toDay}::date AND (next_day <= deadline OR deadline < ${today}::date))
			  + (SELECT count(*) FROM c WHERE NOT EXISTS (SELECT 1 FROM v WHERE v.household_id = c.id)) AS den`;
	return kpiValue('care_rate', Number(r.num), Number(r.den), { targets });
}
