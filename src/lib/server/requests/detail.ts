// One request with its whole history (who, when, why) and its 吹哨 summons, for the detail page
// and the API. The reporter's name and phone leave masked.
import type { Queryable, Row } from '../db/client';
import { overdueSql } from '../db/fragments';
import { listPhotos, type RequestPhoto } from './photos';

export async function requestDetail(db: Queryable, id: number, now = new Date()) {
	const [r] = await db.sql`
		SELECT r.id, r.code, r.kind, r.category_code AS category, c.name AS "categoryName", r.channel, r.status, r.priority, r.title,
		       r.description, r.grid_code AS "gridCode", g.name AS "gridName", r.department_id AS "departmentId", d.name AS department, c.department_id AS "categoryDepartmentId",
		       p.name AS reporter, p.phone, r.address, r.photo_path IS NOT NULL AS "hasPhoto",
		       r.reported_at AS "reportedAt", r.dispatched_at AS "dispatchedAt", r.accepted_at AS "acceptedAt", r.resolved_at AS "resolvedAt",
		       r.evaluated_at AS "evaluatedAt", r.closed_at AS "closedAt", r.accept_deadline AS "acceptDeadline",
		       r.resolve_deadline AS "resolveDeadline", r.satisfaction, r.solved, r.reopen_count AS "reopenCount",
		       r.leader_id AS "leaderId", lu.display_name AS leader, r.mediator_id AS "mediatorId", mu.display_name AS mediator,
		       r.claimed_by AS "claimedBy", r.details, r.version, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat,
		       ${overdueSql(now)} AS overdue
		FROM requests r JOIN categories c ON c.code = r.category_code JOIN grids g ON g.code = r.grid_code
		LEFT JOIN departments d ON d.id = r.department_id LEFT JOIN users lu ON lu.id = r.leader_id LEFT JOIN users mu ON mu.id = r.mediator_id
		CROSS JOIN LATERAL pii_request_reporter(r.id) p
		WHERE r.id = ${id}`;
	if (!r) return null;
	const events = await db.sql`
		SELECT e.id, e.action, e.from_status AS "from", e.to_status AS "to", e.at, e.reason, e.payload,
		       u.display_name AS actor, u.title AS "actorTitle", d.name AS department
		FROM request_events e LEFT JOIN users u ON u.id = e.actor_id LEFT JOIN departments d ON d.id = e.department_id
		WHERE e.request_id = ${id} ORDER BY e.at, e.id`;
	const whistles = await db.sql`
		SELECT s.department_id AS "departmentId", d.name AS department, s.summoned_at AS "whistledAt", s.deadline,
		       s.checked_in_at AS "checkedInAt", u.display_name AS "checkedInBy", (s.checked_in_at IS NOT NULL AND s.checked_in_at <= s.deadline) AS "onTime"
		FROM whistle_summons s JOIN departments d ON d.id = s.department_id LEFT JOIN users u ON u.id = s.checked_in_by
		WHERE s.request_id = ${id} ORDER BY d.id`;
	const managers = await db.sql<{ user_id: number }>`SELECT user_id FROM user_grids WHERE grid_code = ${r.gridCode}`;
	// 现场照片, 处置前 and 处置后 (0016); an older request's one photo is `hasPhoto` only
	const photos = await listPhotos(db, id);
	return Object.assign(r, { events, whistles, photos, gridManagerIds: managers.map((m) => m.user_id) }) as Row & {
		id: number; code: string; status: string; version: number; gridCode: string; kind: string; events: Row[]; whistles: Row[];
		photos: RequestPhoto[]; gridManagerIds: number[];
	};
}

export type RequestDetail = NonNullable<Awaited<ReturnType<typeof requestDetail>>>;
