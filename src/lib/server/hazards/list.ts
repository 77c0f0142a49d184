// Hazards waiting for someone, most urgent first: the grid worker's (not yet 销号 in their grids),
// the department's (assigned to it, not yet 整改完成), the command centre's (not yet assigned).
import type { Queryable } from '../db/client';
import { HAZARD_NOT_CLOSED_SQL, HAZARD_UNRECTIFIED_SQL, hazardOverdueSql, hazardStageDeadlineSql } from '../db/fragments';
import { sql, type Fragment } from '../db/sql';

export interface HazardRow {
	id: number; code: string; title: string; type: string; severity: number; status: string; gridName: string;
	department: string | null; deadline: Date; overdue: boolean;
}

export type HazardQueue = 'grid' | 'department' | 'unassigned';

export async function hazardQueue(db: Queryable, queue: HazardQueue, who: { grids?: string[]; departmentId?: number | null }, now = new Date(), limit = 100): Promise<HazardRow[]> {
	const where: Fragment =
		queue === 'grid' ? sql`h.grid_code = ANY(${who.grids ?? []}::text[]) AND h.status IN ${HAZARD_NOT_CLOSED_SQL}`
		: queue === 'department' ? sql`h.department_id = ${who.departmentId ?? -1} AND h.status IN ${HAZARD_UNRECTIFIED_SQL}`
		: sql`h.department_id IS NULL AND h.status = 'open'`;
	return db.sql<HazardRow>`
		SELECT h.id, h.code, h.title, h.type, h.severity, h.status, g.name AS "gridName", d.name AS department,
		       ${hazardStageDeadlineSql()} AS deadline,
		       ${hazardOverdueSql(now)} AS overdue
		FROM hazards h JOIN grids g ON g.code = h.grid_code LEFT JOIN departments d ON d.id = h.department_id
		WHERE ${where}
		ORDER BY ${hazardOverdueSql(now)} DESC, deadline, h.id LIMIT ${limit}`;
}
