// What the details panel shows for a clicked point. Personal data is masked here, on the server,
// so whole names, phones and ID numbers never reach the browser from the map.
import type { Database } from '../db/client';
import { hazardOverdueSql, NOW, overdueSql } from '../db/fragments';
import { CHANNEL, HAZARD_SEVERITY, HAZARD_STATUS, HAZARD_TYPE, HOUSEHOLD_TAG, PRIORITY, REQUEST_STATUS } from '../../domain/labels';
import type { PointLayer } from '../../domain/pointcodec';
import { MET } from '../../domain/doorknock';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export async function householdDetail(db: Database, id: number) {
	const [h] = await db.sql`
		SELECT h.id, h.address, p.name, p.phone, p.id_number, h.size, h.tags, h.last_visit_at,
		       g.code AS grid_code, g.name AS grid_name, c.name AS community, b.name AS building,
		       (SELECT count(*) FROM door_knocks k WHERE k.household_id = h.id)::int AS knocks,
		       lk.visited_at AS knock_at, lk.met AS knock_met, lk.needs AS knock_needs
		FROM households h
		LEFT JOIN LATERAL (SELECT k.visited_at, k.met, k.needs FROM door_knocks k WHERE k.household_id = h.id ORDER BY k.visited_at DESC, k.id DESC LIMIT 1) lk ON true JOIN grids g ON g.code = h.grid_code JOIN areas c ON c.code = g.community_code
		JOIN buildings b ON b.id = h.building_id CROSS JOIN LATERAL pii_household(h.id) p WHERE h.id = ${id}`;
	if (!h) return null;
	return {
		kind: 'household' as const,
		id: h.id,
		// masked by the database (pii_household, 0007): the app role cannot read them whole
		name: h.name as string,
		phone: h.phone as string,
		idNumber: h.id_number as string,
		address: h.address,
		building: h.building,
		size: h.size,
		tags: (h.tags as string[]).map((t) => HOUSEHOLD_TAG[t] ?? t),
		lastVisitAt: iso(h.last_visit_at),
		knocks: h.knocks,
		// the last door-knock's findings (敲门行动): who was met and what the household needs
		lastKnock: h.knock_at ? { at: iso(h.knock_at), met: h.knock_met ? (MET[h.knock_met] ?? h.knock_met) : null, needs: (h.knock_needs as string | null) ?? null } : null,
		grid: { code: h.grid_code, name: h.grid_name, community: h.community }
	};
}

export async function hazardDetail(db: Database, id: number) {
	const [z] = await db.sql`
		SELECT z.*, g.name AS grid_name, c.name AS community, d.name AS department_name,
		       ${hazardOverdueSql(NOW, 'z')} AS overdue
		FROM hazards z JOIN grids g ON g.code = z.grid_code JOIN areas c ON c.code = g.community_code
		LEFT JOIN departments d ON d.id = z.department_id WHERE z.id = ${id}`;
	if (!z) return null;
	return {
		kind: 'hazard' as const,
		id: z.id,
		code: z.code,
		title: z.title,
		type: HAZARD_TYPE[z.type] ?? z.type,
		severity: HAZARD_SEVERITY[z.severity] ?? String(z.severity),
		status: HAZARD_STATUS[z.status] ?? z.status,
		foundAt: iso(z.found_at),
		rectifyDeadline: iso(z.rectify_deadline),
		rectifiedAt: iso(z.rectified_at),
		// 责任部门 (交办, 0020); older hazards have none
		department: (z.department_name as string | null) ?? null,
		overdue: z.overdue as boolean,
		grid: { code: z.grid_code, name: z.grid_name, community: z.community }
	};
}

export async function requestDetail(db: Database, id: number) {
	const [r] = await db.sql`
		SELECT r.id, r.code, r.title, r.status, r.priority, r.channel, r.address, r.reported_at, r.resolve_deadline,
		       r.grid_code, g.name AS grid_name, c.name AS community, k.name AS category, p.name AS parent_category,
		       d.name AS department,
		       ${overdueSql(NOW)} AS overdue
		FROM requests r JOIN grids g ON g.code = r.grid_code JOIN areas c ON c.code = g.community_code
		JOIN categories k ON k.code = r.category_code LEFT JOIN categories p ON p.code = k.parent_code
		LEFT JOIN departments d ON d.id = r.department_id WHERE r.id = ${id}`;
	if (!r) return null;
	return {
		kind: 'request' as const,
		id: r.id,
		code: r.code,
		title: r.title,
		category: r.parent_category ? `${r.parent_category}/${r.category}` : r.category,
		channel: CHANNEL[r.channel] ?? r.channel,
		status: REQUEST_STATUS[r.status] ?? r.status,
		statusCode: r.status,
		priority: PRIORITY[r.priority] ?? r.priority,
		reportedAt: iso(r.reported_at),
		resolveDeadline: iso(r.resolve_deadline),
		overdue: Boolean(r.overdue),
		address: r.address,
		department: r.department,
		grid: { code: r.grid_code, name: r.grid_name, community: r.community }
	};
}

export function featureDetail(db: Database, layer: PointLayer, id: number) {
	return layer === 'households' ? householdDetail(db, id) : layer === 'hazards' ? hazardDetail(db, id) : requestDetail(db, id);
}
