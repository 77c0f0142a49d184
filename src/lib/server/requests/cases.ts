// 延期, 督办 and 催办 of a request (issue 19), and what its page shows of them and of 合并. The rows
// (0030) carry who, when and why; the database checks status and authority again (GL403/GL422,
// mapped by http/errors.ts). Approving a 延期 is a move of the loop (transition.ts, 'extend'), so
// the new deadline enters the history and the KPI rollups like any other.
import { ApiError } from '../../domain/apierror';
import { CASE_NOTICES } from '../../domain/notices';
import { EXTENSION_STATUSES, mayUrge, maySupervise, requiredText, URGE_STATUSES, urgeEscalates, type ExtensionAsk } from '../../domain/cases';
import { OPEN_STATUSES, STATUS_LABEL, type Actor, type RequestStatus } from '../../domain/workflow';
import type { Database, Queryable } from '../db/client';
import { overdueSql, stageDeadlineSql } from '../db/fragments';
import { toApiError } from '../http/errors';
import { notify } from '../notifications/notices';
import { moveRequest, type MoveResult } from './transition';

/** Runs `fn` in a transaction, database refusals turned into ApiErrors with their message. */
async function inTx<T>(db: Database, fn: (tx: Queryable) => Promise<T>): Promise<T> {
	try {
		return await db.transaction(fn);
	} catch (e) {
		throw toApiError(e) ?? e;
	}
}

async function requestRow(tx: Queryable, id: number) {
	const [r] = await tx.sql<{ id: number; code: string; status: RequestStatus; department_id: number | null }>`
		SELECT id, code, status, department_id FROM requests WHERE id = ${id}`;
	if (!r) throw new ApiError(404, 'not_found', `诉求 ${id} 不存在或不在你的范围内`, 'id');
	return r;
}

/** 申请延期: the handling department (or an admin) while the request is worked on; one pending at a time. */
export async function askExtension(db: Database, actor: Actor, requestId: number, ask: ExtensionAsk, now = new Date()): Promise<number> {
	return inTx(db, async (tx) => {
		const r = await requestRow(tx, requestId);
		if (!(EXTENSION_STATUSES as readonly string[]).includes(r.status)) {
			throw new ApiError(422, 'guard', `当前状态${STATUS_LABEL[r.status]}（${r.status}）不能申请延期：只有已接单或吹哨中的诉求可以`, 'action');
		}
		if (actor.role !== 'admin' && !(actor.role === 'department_staff' && actor.departmentId === r.department_id)) {
			throw new ApiError(403, 'forbidden', '只有承办部门可以申请延期');
		}
		const [pending] = await tx.sql`SELECT 1 FROM request_extensions WHERE request_id = ${requestId} AND status = 'pending'`;
		if (pending) throw new ApiError(409, 'conflict', '已有一项延期申请待审批，请等待指挥中心审批', 'days');
		const [{ id }] = await tx.sql<{ id: number }>`
			INSERT INTO request_extensions (request_id, department_id, requested_by, requested_at, days, reason)
			VALUES (${requestId}, ${r.department_id}, ${actor.id}, ${now}, ${ask.days}, ${ask.reason}) RETURNING id`;
		await notify(tx, { actorId: actor.id, requestId, departmentId: r.department_id, rule: CASE_NOTICES.extensionAsked });
		return id;
	});
}

/** 批准延期: the move 'extend' (the command centre's), with the version the approver saw. */
export function approveExtension(db: Database, actor: Actor, requestId: number, version: number | null, reason: string | null, now?: Date): Promise<MoveResult> {
	return moveRequest(db, actor, { requestId, action: 'extend', version, reason, now });
}

/** 不予延期: the command centre refuses with a reason; the deadline stays. */
export async function refuseExtension(db: Database, actor: Actor, requestId: number, reasonRaw: unknown, now = new Date()): Promise<void> {
	const reason = requiredText(reasonRaw, 'reason', '不予延期的理由');
	if (actor.role !== 'admin') throw new ApiError(403, 'forbidden', '只有指挥中心可以审批延期');
	await inTx(db, async (tx) => {
		const r = await requestRow(tx, requestId);
		const done = await tx.sql`UPDATE request_extensions SET status = 'refused', decided_by = ${actor.id}, decided_at = ${now}, decision_reason = ${reason}
			WHERE request_id = ${requestId} AND status = 'pending' RETURNING id`;
		if (!done.length) throw new ApiError(422, 'guard', '没有待审批的延期申请', 'action');
		await notify(tx, { actorId: actor.id, requestId, departmentId: r.department_id, rule: CASE_NOTICES.extensionRefused });
	});
}

/** 督办: a leader (or the command centre) starts following an open request, with a note. */
export async function supervise(db: Database, actor: Actor, requestId: number, noteRaw: unknown, now = new Date()): Promise<void> {
	const note = requiredText(noteRaw, 'note', '督办要求');
	if (!maySupervise(actor.role)) throw new ApiError(403, 'forbidden', '只有领导可以督办');
	await inTx(db, async (tx) => {
		const r = await requestRow(tx, requestId);
		if (!(OPEN_STATUSES as readonly string[]).includes(r.status)) throw new ApiError(422, 'guard', `诉求已${STATUS_LABEL[r.status]}，不能再督办`, 'action');
		const [already] = await tx.sql`SELECT 1 FROM request_supervisions WHERE request_id = ${requestId} AND leader_id = ${actor.id} AND ended_at IS NULL`;
		if (already) throw new ApiError(409, 'conflict', '你已在督办这件诉求', 'note');
		await tx.sql`INSERT INTO request_supervisions (request_id, leader_id, started_at, note) VALUES (${requestId}, ${actor.id}, ${now}, ${note})`;
	});
}

/** 取消督办: the leader stops following it. */
export async function endSupervision(db: Database, actor: Actor, requestId: number, now = new Date()): Promise<void> {
	await inTx(db, async (tx) => {
		const done = await tx.sql`UPDATE request_supervisions SET ended_at = ${now}
			WHERE request_id = ${requestId} AND leader_id = ${actor.id} AND ended_at IS NULL RETURNING id`;
		if (!done.length) throw new ApiError(422, 'guard', '你没有在督办这件诉求', 'action');
	});
}

/**
 * 催办: a reminder to the handling department, numbered per request and department by the
 * database; from the URGE_ESCALATE_AT-th on the command centre is told as well.
 */
export async function urge(db: Database, actor: Actor, requestId: number, messageRaw: unknown, now = new Date()): Promise<{ seq: number; escalated: boolean }> {
	const message = requiredText(messageRaw, 'message', '催办内容');
	if (!mayUrge(actor.role)) throw new ApiError(403, 'forbidden', '只有指挥中心、领导和网格员可以催办');
	return inTx(db, async (tx) => {
		const r = await requestRow(tx, requestId);
		if (!(URGE_STATUSES as readonly string[]).includes(r.status) || !r.department_id) {
			throw new ApiError(422, 'guard', `当前状态${STATUS_LABEL[r.status]}（${r.status}）不能催办：只有已派单、办理中的诉求可以催办承办部门`, 'action');
		}
		const [{ seq }] = await tx.sql<{ seq: number }>`
			INSERT INTO request_urges (request_id, urged_by, urged_at, message) VALUES (${requestId}, ${actor.id}, ${now}, ${message}) RETURNING seq`;
		const escalated = urgeEscalates(seq);
		await notify(tx, { actorId: actor.id, requestId, departmentId: r.department_id, rule: escalated ? CASE_NOTICES.urgeEscalated : CASE_NOTICES.urged });
		return { seq, escalated };
	});
}

export interface CaseInfo {
	mergedInto: { id: number; code: string; title: string } | null;
	/** duplicates merged into this one, with their reporters (masked) */
	duplicates: { id: number; code: string; title: string; reportedAt: Date; reporter: string | null; phone: string | null; mergedAt: Date | null; by: string | null }[];
	extensions: { id: number; days: number; reason: string; status: string; requestedAt: Date; requestedBy: string; oldDeadline: Date | null; newDeadline: Date | null; decidedBy: string | null; decidedAt: Date | null; decisionReason: string | null }[];
	supervisions: { leaderId: number; leader: string; startedAt: Date; note: string; endedAt: Date | null }[];
	urges: { at: Date; by: string; message: string; seq: number; department: string | null }[];
}

/** What the request page shows of 合并, 延期, 督办 and 催办. */
export async function caseInfo(db: Queryable, id: number): Promise<CaseInfo> {
	const [into] = await db.sql<{ id: number; code: string; title: string }>`
		SELECT o.id, o.code, o.title FROM requests r JOIN requests o ON o.id = r.merged_into WHERE r.id = ${id}`;
	const duplicates = await db.sql<CaseInfo['duplicates'][number]>`
		SELECT r.id, r.code, r.title, r.reported_at AS "reportedAt", p.name AS reporter, p.phone,
		       e.at AS "mergedAt", u.display_name AS by
		FROM requests r CROSS JOIN LATERAL pii_request_reporter(r.id) p
		LEFT JOIN request_events e ON e.request_id = r.id AND e.action = 'merge' LEFT JOIN users u ON u.id = e.actor_id
		WHERE r.merged_into = ${id} ORDER BY r.id`;
	const extensions = await db.sql<CaseInfo['extensions'][number]>`
		SELECT x.id, x.days, x.reason, x.status, x.requested_at AS "requestedAt", ru.display_name AS "requestedBy",
		       x.old_deadline AS "oldDeadline", x.new_deadline AS "newDeadline", du.display_name AS "decidedBy", x.decided_at AS "decidedAt",
		       x.decision_reason AS "decisionReason"
		FROM request_extensions x JOIN users ru ON ru.id = x.requested_by LEFT JOIN users du ON du.id = x.decided_by
		WHERE x.request_id = ${id} ORDER BY x.id`;
	const supervisions = await db.sql<CaseInfo['supervisions'][number]>`
		SELECT s.leader_id AS "leaderId", u.display_name AS leader, s.started_at AS "startedAt", s.note, s.ended_at AS "endedAt"
		FROM request_supervisions s JOIN users u ON u.id = s.leader_id WHERE s.request_id = ${id} ORDER BY s.id`;
	const urges = await db.sql<CaseInfo['urges'][number]>`
		SELECT g.urged_at AS at, u.display_name AS by, g.message, g.seq, d.name AS department
		FROM request_urges g JOIN users u ON u.id = g.urged_by LEFT JOIN departments d ON d.id = g.department_id
		WHERE g.request_id = ${id} ORDER BY g.id`;
	return { mergedInto: into ?? null, duplicates, extensions, supervisions, urges };
}

/** 合并 candidates for a request at 立案审核: open requests of the same kind within `metres`, same category first. */
export async function mergeCandidates(db: Queryable, id: number, metres = 500) {
	return db.sql<{ id: number; code: string; title: string; status: string; distance: number; sameCategory: boolean }>`
		SELECT o.id, o.code, o.title, o.status, o.category_code = r.category_code AS "sameCategory",
		       round(ST_Distance(o.geom::geography, r.geom::geography))::int AS distance
		FROM requests r JOIN requests o ON o.kind = r.kind AND o.id <> r.id
		WHERE r.id = ${id} AND o.status = ANY(${[...OPEN_STATUSES]})
		  AND o.geom && ST_Expand(r.geom, ${metres / 50_000}) AND ST_DWithin(o.geom::geography, r.geom::geography, ${metres})
		ORDER BY o.category_code = r.category_code DESC, distance, o.id LIMIT 8`;
}

export interface SupervisedRow {
	id: number; code: string; title: string; status: string; department: string | null; startedAt: Date; note: string;
	deadline: Date | null; overdue: boolean; urges: number; lastMove: Date | null; lastAction: string | null;
}

/** 我督办的: what a leader follows, with its progress (status, the current stage's deadline, 超期, 催办 so far, the latest move). */
export async function mySupervisions(db: Queryable, leaderId: number, now = new Date()): Promise<SupervisedRow[]> {
	return db.sql<SupervisedRow>`
		SELECT r.id, r.code, r.title, r.status, d.name AS department, s.started_at AS "startedAt", s.note,
		       ${stageDeadlineSql()} AS deadline, ${overdueSql(now)} AS overdue,
		       (SELECT count(*)::int FROM request_urges g WHERE g.request_id = r.id) AS urges,
		       e.at AS "lastMove", e.action AS "lastAction"
		FROM request_supervisions s JOIN requests r ON r.id = s.request_id LEFT JOIN departments d ON d.id = r.department_id
		LEFT JOIN LATERAL (SELECT at, action FROM request_events WHERE request_id = r.id ORDER BY at DESC, id DESC LIMIT 1) e ON true
		WHERE s.leader_id = ${leaderId} AND s.ended_at IS NULL
		ORDER BY ${overdueSql(now)} DESC, r.status = ANY(${[...OPEN_STATUSES]}) DESC, s.started_at DESC LIMIT 100`;
}

