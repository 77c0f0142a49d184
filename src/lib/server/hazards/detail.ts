// One hazard with its history (who, when, what, the deadline each move set) and its photos, for
// the detail page and the API. Older hazards (seed, import) have no events: the page shows what
// the row says.
import type { Queryable } from '../db/client';
import { hazardOverdueSql } from '../db/fragments';
import { listHazardPhotos, type HazardPhoto } from './photos';

export interface HazardEvent {
	id: number; action: string; from: string | null; to: string; at: Date; note: string | null; deadline: Date | null;
	actor: string | null; actorId: number | null; department: string | null;
}

export async function hazardDetail(db: Queryable, id: number, now = new Date()) {
	const [h] = await db.sql<{
		id: number; code: string; type: string; severity: number; status: string; title: string; description: string | null;
		gridCode: string; gridName: string; departmentId: number | null; department: string | null; foundAt: Date;
		rectifyDeadline: Date; rectifiedAt: Date | null; reinspectDeadline: Date | null; reinspectedAt: Date | null;
		version: number; lon: number; lat: number; overdue: boolean; building: string | null; rectifiedBy: number | null;
		sourceRequestId: number | null; sourceRequestCode: string | null; sourceHouseholdId: number | null; sourceHousehold: string | null;
	}>`
		SELECT h.id, h.code, h.type, h.severity, h.status, h.title, h.description, h.grid_code AS "gridCode", g.name AS "gridName",
		       h.department_id AS "departmentId", d.name AS department, h.found_at AS "foundAt", h.rectify_deadline AS "rectifyDeadline",
		       h.rectified_at AS "rectifiedAt", h.reinspect_deadline AS "reinspectDeadline", h.reinspected_at AS "reinspectedAt",
		       h.version, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat, ${hazardOverdueSql(now)} AS overdue, b.name AS building,
		       hazard_rectified_by(h.id) AS "rectifiedBy", h.source_request_id AS "sourceRequestId", sr.code AS "sourceRequestCode",
		       h.source_household_id AS "sourceHouseholdId", sh.address AS "sourceHousehold"
		FROM hazards h JOIN grids g ON g.code = h.grid_code
		LEFT JOIN requests sr ON sr.id = h.source_request_id LEFT JOIN households sh ON sh.id = h.source_household_id
		LEFT JOIN departments d ON d.id = h.department_id LEFT JOIN buildings b ON b.id = h.building_id
		WHERE h.id = ${id}`;
	if (!h) return null;
	const events = await db.sql<HazardEvent>`
		SELECT e.id, e.action, e.from_status AS "from", e.to_status AS "to", e.at, e.note, e.deadline,
		       u.display_name AS actor, e.actor_id AS "actorId", d.name AS department
		FROM hazard_events e LEFT JOIN users u ON u.id = e.actor_id LEFT JOIN departments d ON d.id = e.department_id
		WHERE e.hazard_id = ${id} ORDER BY e.at, e.id`;
	const managers = await db.sql<{ user_id: number }>`SELECT user_id FROM user_grids WHERE grid_code = ${h.gridCode}`;
	const photos: HazardPhoto[] = await listHazardPhotos(db, id);
	return { ...h, events, photos, gridManagerIds: managers.map((m) => m.user_id) };
}

export type HazardDetail = NonNullable<Awaited<ReturnType<typeof hazardDetail>>>;

/** Departments to 交办 to, with their codes (HAZARD_TYPE_DEPARTMENT proposes one by code). */
export const assignableDepartments = (db: Queryable) =>
	db.sql<{ id: number; name: string; code: string }>`SELECT id, name, code FROM departments ORDER BY id`;
