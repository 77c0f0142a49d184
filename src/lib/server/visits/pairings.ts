// 包联: each leader's paired communities/villages, projects and enterprises, with their open items
// and the date a leader last visited them.
import type { Queryable } from '../db/client';
import { HAZARD_UNRECTIFIED_SQL, NOW, overdueSql } from '../db/fragments';
import { OPEN_STATUSES } from '../../domain/workflow';

export async function leaderPairings(db: Queryable, leaderId: number | null) {
	return db.sql<{ id: number; leader_id: number; leader: string; title: string | null; kind: string; name: string; area_code: string | null; lon: number | null; lat: number | null; open_requests: number; overdue: number; open_hazards: number; last_visit: string | null }>`
		SELECT p.id, p.leader_id, u.display_name AS leader, u.title, p.target_kind AS kind, p.name, p.area_code,
		  ST_X(coalesce(p.geom, a.label_point)) AS lon, ST_Y(coalesce(p.geom, a.label_point)) AS lat,
		  (SELECT count(*) FROM requests r JOIN grids g ON g.code = r.grid_code
		     WHERE g.community_code = p.area_code AND r.status = ANY(${[...OPEN_STATUSES]})) AS open_requests,
		  (SELECT count(*) FROM requests r JOIN grids g ON g.code = r.grid_code
		     WHERE g.community_code = p.area_code AND ${overdueSql(NOW)}) AS overdue,
		  (SELECT count(*) FROM hazards h JOIN grids g ON g.code = h.grid_code WHERE g.community_code = p.area_code AND h.status IN ${HAZARD_UNRECTIFIED_SQL}) AS open_hazards,
		  (SELECT to_char(max(v.planned_date), 'YYYY-MM-DD') FROM visits v JOIN visit_stops s ON s.visit_id = v.id
		     WHERE v.leader_id = p.leader_id AND v.status = 'done'
		       AND (left(s.grid_code, 12) = p.area_code OR (p.geom IS NOT NULL AND ST_DWithin(s.geom::geography, p.geom::geography, 300)))) AS last_visit
		FROM leader_pairings p JOIN users u ON u.id = p.leader_id LEFT JOIN areas a ON a.code = p.area_code
		WHERE ${leaderId}::int IS NULL OR p.leader_id = ${leaderId}::int
		ORDER BY p.leader_id, p.target_kind, p.name`;
}
