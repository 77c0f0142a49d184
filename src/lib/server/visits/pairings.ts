// 包联: each leader's paired villages/communities, projects and enterprises — their open items,
// overdue work and the date a leader last visited them — and the changes leaders and admins make
// (新增, 修改, 结束包联), each audited. A village/community's items are those of its grids; a project's
// or an enterprise's those within PAIRING_RADIUS_M of it.
import { ApiError, notFound } from '../../domain/apierror';
import { PAIRING_RADIUS_M, pairingDue, type PairingInput } from '../../domain/pairing';
import { localDate } from '../../domain/time';
import { OPEN_STATUSES } from '../../domain/workflow';
import type { SessionUser } from '../auth/user';
import { recordAudit } from '../access/audit';
import type { Database, Queryable } from '../db/client';
import { HAZARD_UNRECTIFIED_SQL, hazardOverdueSql, NOW, overdueSql } from '../db/fragments';
import { ident, sql, type Fragment } from '../db/sql';

export interface PairingRow {
	id: number; leader_id: number; leader: string; title: string | null; kind: 'area' | 'project' | 'enterprise'; name: string;
	area_code: string | null; area_name: string | null; lon: number | null; lat: number | null; note: string | null;
	started_on: string; ended_on: string | null;
	open_requests: number; overdue: number; open_hazards: number; overdue_hazards: number; last_visit: string | null;
	/** 待走访: no visit for PAIRING_VISIT_DAYS days (only while the pairing lasts) */
	due: boolean;
}

/** The items of pairing `p` among rows aliased `x` (requests r or hazards h). */
function near(x: 'r' | 'h'): Fragment {
	const a = ident(x);
	return sql`((p.target_kind = 'area' AND ${a}.grid_code LIKE p.area_code || '%') OR (p.target_kind <> 'area'
		AND ${a}.geom && ST_Expand(p.geom, ${PAIRING_RADIUS_M / 60_000}) AND ST_DWithin(${a}.geom::geography, p.geom::geography, ${PAIRING_RADIUS_M})))`;
}

/**
 * The pairings of one leader (or everyone's for null), the ones in force, or also the ended ones.
 * ST_Expand by radius/60 000 degrees is a box wider than the radius anywhere in China (a degree of
 * longitude is still 60 km at 57°N, north of Mohe), so the GiST index narrows before the exact
 * geography test.
 */
export async function leaderPairings(db: Queryable, leaderId: number | null, opts: { ended?: boolean; now?: Date } = {}): Promise<PairingRow[]> {
	const rows = await db.sql<Omit<PairingRow, 'due'>>`
		SELECT p.id, p.leader_id, u.display_name AS leader, u.title, p.target_kind AS kind, p.name, p.area_code, a.name AS area_name,
		  ST_X(coalesce(p.geom, a.label_point)) AS lon, ST_Y(coalesce(p.geom, a.label_point)) AS lat, p.note,
		  to_char(p.started_on, 'YYYY-MM-DD') AS started_on, to_char(p.ended_on, 'YYYY-MM-DD') AS ended_on,
		  (SELECT count(*)::int FROM requests r WHERE ${near('r')} AND r.status = ANY(${[...OPEN_STATUSES]})) AS open_requests,
		  (SELECT count(*)::int FROM requests r WHERE ${near('r')} AND ${overdueSql(NOW)}) AS overdue,
		  (SELECT count(*)::int FROM hazards h WHERE ${near('h')} AND h.status IN ${HAZARD_UNRECTIFIED_SQL}) AS open_hazards,
		  (SELECT count(*)::int FROM hazards h WHERE ${near('h')} AND ${hazardOverdueSql(NOW)}) AS overdue_hazards,
		  (SELECT to_char(max(v.planned_date), 'YYYY-MM-DD') FROM visits v JOIN visit_stops s ON s.visit_id = v.id
		     WHERE v.leader_id = p.leader_id AND v.status = 'done'
		       AND (left(s.grid_code, 12) = p.area_code OR (p.geom IS NOT NULL AND ST_DWithin(s.geom::geography, p.geom::geography, ${PAIRING_RADIUS_M})))) AS last_visit
		FROM leader_pairings p JOIN users u ON u.id = p.leader_id LEFT JOIN areas a ON a.code = p.area_code
		WHERE (${leaderId}::int IS NULL OR p.leader_id = ${leaderId}::int) AND (${opts.ended === true} OR p.ended_on IS NULL)
		ORDER BY p.ended_on IS NOT NULL, p.leader_id, p.target_kind, p.name`;
	const today = localDate(opts.now ?? new Date());
	return rows.map((r) => ({ ...r, due: r.ended_on === null && pairingDue(r.last_visit, r.started_on, today) }));
}

/** Leaders one may pair (admins choose any active leader; a leader is always themself). */
export function pairableLeaders(db: Queryable) {
	return db.sql<{ id: number; name: string; title: string | null }>`
		SELECT id, display_name AS name, title FROM users WHERE role = 'leader' AND active ORDER BY id`;
}

/** Villages and communities one may pair with (the leader's jurisdiction is not a limit: 包联 crosses it). */
export function pairableAreas(db: Queryable) {
	return db.sql<{ code: string; name: string; street: string }>`
		SELECT c.code, c.name, s.name AS street FROM areas c JOIN areas s ON s.code = c.parent_code WHERE c.level = 'community' ORDER BY c.code`;
}

async function checkTarget(tx: Queryable, p: PairingInput, exceptId: number | null) {
	const [leader] = await tx.sql<{ ok: boolean }>`SELECT role = 'leader' AND active AS ok FROM users WHERE id = ${p.leaderId}`;
	if (!leader?.ok) throw new ApiError(400, 'invalid_param', `包联领导（leaderId）${p.leaderId} 不是在岗的领导账号`, 'leaderId');
	if (p.areaCode) {
		const [area] = await tx.sql<{ level: string }>`SELECT level FROM areas WHERE code = ${p.areaCode}`;
		if (area?.level !== 'community') throw new ApiError(400, 'invalid_param', `区划代码（areaCode）${p.areaCode} 不是本区的村/社区`, 'areaCode');
		const [dup] = await tx.sql<{ id: number }>`SELECT id FROM leader_pairings
			WHERE leader_id = ${p.leaderId} AND area_code = ${p.areaCode} AND ended_on IS NULL AND id IS DISTINCT FROM ${exceptId}::int`;
		if (dup) throw new ApiError(409, 'duplicate', `这位领导已在包联该村/社区（第 ${dup.id} 条），无需重复新增`, 'areaCode');
	}
}

const point = (p: PairingInput) => (p.lon === null || p.lat === null ? null : `POINT(${p.lon} ${p.lat})`);

export async function createPairing(db: Database, user: SessionUser, p: PairingInput, ip: string | null = null): Promise<number> {
	return db.transaction(async (tx) => {
		await checkTarget(tx, p, null);
		const [{ id }] = await tx.sql<{ id: number }>`
			INSERT INTO leader_pairings (leader_id, target_kind, area_code, name, geom, note, started_on)
			VALUES (${p.leaderId}, ${p.kind}, ${p.areaCode}, ${p.name}, ST_GeomFromText(${point(p)}, 4326), ${p.note}, ${p.startedOn}::date)
			RETURNING id`;
		await recordAudit(tx, { userId: user.id, action: 'pairing', subject: `pairing:${id}`, ip, detail: { op: 'create', ...p } });
		return id;
	});
}

async function own(tx: Queryable, user: SessionUser, id: number) {
	const [row] = await tx.sql<{ leader_id: number; started_on: string; ended_on: string | null }>`
		SELECT leader_id, to_char(started_on, 'YYYY-MM-DD') AS started_on, to_char(ended_on, 'YYYY-MM-DD') AS ended_on FROM leader_pairings WHERE id = ${id}`;
	if (!row) throw notFound(`包联 ${id} 不存在`);
	if (user.role !== 'admin' && row.leader_id !== user.id) throw new ApiError(403, 'forbidden', '只有包联领导本人或管理员可以修改这条包联');
	if (row.ended_on) throw new ApiError(409, 'pairing_ended', `这条包联已于 ${row.ended_on} 结束，不能再修改`);
	return row;
}

export async function changePairing(db: Database, user: SessionUser, id: number, p: PairingInput, ip: string | null = null): Promise<void> {
	await db.transaction(async (tx) => {
		await own(tx, user, id);
		await checkTarget(tx, p, id);
		const [done] = await tx.sql`UPDATE leader_pairings SET leader_id = ${p.leaderId}, target_kind = ${p.kind}, area_code = ${p.areaCode}, name = ${p.name},
			geom = ST_GeomFromText(${point(p)}, 4326), note = ${p.note}, started_on = ${p.startedOn}::date, updated_at = now() WHERE id = ${id} AND ended_on IS NULL RETURNING id`;
		if (!done) throw new ApiError(409, 'pairing_ended', '这条包联刚刚已被结束，不能再修改');
		await recordAudit(tx, { userId: user.id, action: 'pairing', subject: `pairing:${id}`, ip, detail: { op: 'change', ...p } });
	});
}

/** 结束包联: the pairing stays, with its end date; its visits and figures keep it. */
export async function endPairing(db: Database, user: SessionUser, id: number, endOf: (startedOn: string) => string, ip: string | null = null): Promise<string> {
	return db.transaction(async (tx) => {
		const row = await own(tx, user, id);
		const end = endOf(row.started_on);
		// ended_on IS NULL: of two people ending it at once, one does (the read above takes no lock:
		// FOR UPDATE would apply the UPDATE policy and hide another leader's row as "不存在")
		const [done] = await tx.sql`UPDATE leader_pairings SET ended_on = ${end}::date, updated_at = now() WHERE id = ${id} AND ended_on IS NULL RETURNING id`;
		if (!done) throw new ApiError(409, 'pairing_ended', '这条包联刚刚已被结束');
		await recordAudit(tx, { userId: user.id, action: 'pairing', subject: `pairing:${id}`, ip, detail: { op: 'end', endedOn: end } });
		return end;
	});
}
