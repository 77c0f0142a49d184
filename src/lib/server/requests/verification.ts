// 核查 and 申诉 of a request (issue 19; rules in domain/verification.ts, enforced again by migration
// 0033). A 核查 stores its photos first (as request photos are) and records them with the row in
// one transaction; 不通过 moves the request back (返工) in that same transaction, so the failed
// verification and its 返工 are written together or not at all. 申诉 rows carry who, when and why.
import { ApiError, badParam } from '../../domain/apierror';
import { checkPhotos, type PhotoInput } from '../../domain/photos';
import {
	appealProblem, mayVerify, verifyProblem, VERIFY_RESULT_LABEL, type AppealStatus, type VerifyInput, type VerifyResult
} from '../../domain/verification';
import { STATUS_LABEL, type Actor, type RequestStatus } from '../../domain/workflow';
import type { Database, Queryable } from '../db/client';
import { toApiError } from '../http/errors';
import { discardPhotos, readStoredPhoto, storePhotos } from './photos';
import { applyMove } from './transition';

async function inTx<T>(db: Database, fn: (tx: Queryable) => Promise<T>): Promise<T> {
	try {
		return await db.transaction(fn);
	} catch (e) {
		throw toApiError(e) ?? e;
	}
}

export interface VerifySubmission extends VerifyInput {
	/** 整改前, when no photo of the request is chosen */
	beforePhoto: PhotoInput | null;
	/** 整改后: required */
	afterPhoto: PhotoInput | null;
}

/** 核查: records the verification; 不通过 also moves the request to 返工. Returns the new status. */
export async function verifyRequest(db: Database, actor: Actor, requestId: number, v: VerifySubmission, now = new Date()): Promise<{ id: number; status: RequestStatus }> {
	if (v.result === 'fail' && !v.note?.trim()) throw badParam('note', '核查不通过必须说明仍存在的问题（note）');
	if (!v.afterPhoto) throw badParam('afterPhoto', '请拍摄或上传整改后照片（afterPhoto）');
	checkPhotos([v.afterPhoto], 'afterPhoto');
	if (v.beforePhoto) checkPhotos([v.beforePhoto], 'beforePhoto');
	if (!v.beforePhoto && !v.beforePhotoId) throw badParam('beforePhoto', '请选择诉求中的一张照片作为整改前照片，或拍摄整改前照片（beforePhoto）');
	if (v.beforePhoto && v.beforePhotoId) throw badParam('beforePhoto', '整改前照片只能一张：选择已有照片或上传新照片，二选一（beforePhoto）');
	const [after, before] = [storePhotos([v.afterPhoto])[0], v.beforePhoto ? storePhotos([v.beforePhoto])[0] : null];
	try {
		return await inTx(db, async (tx) => {
			const [r] = await tx.sql<{ id: number; status: RequestStatus; version: number; leader_id: number | null; managers: number[]; resolver: number | null }>`
				SELECT r.id, r.status, r.version, r.leader_id,
				       (SELECT coalesce(array_agg(ug.user_id), '{}') FROM user_grids ug WHERE ug.grid_code = r.grid_code) AS managers,
				       (SELECT e.actor_id FROM request_events e WHERE e.request_id = r.id AND e.action = 'resolve' ORDER BY e.at DESC, e.id DESC LIMIT 1) AS resolver
				FROM requests r WHERE r.id = ${requestId} FOR UPDATE OF r`;
			if (!r) throw new ApiError(404, 'not_found', `诉求 ${requestId} 不存在或不在你的范围内`, 'id');
			if (!mayVerify(actor, { gridManagerIds: r.managers, leaderId: r.leader_id })) {
				throw new ApiError(403, 'forbidden', '只有指挥中心、本网格网格员或包联领导可以核查');
			}
			const problem = verifyProblem(r.status, actor.id, r.resolver);
			if (problem) throw new ApiError(422, 'guard', `${problem}（当前${STATUS_LABEL[r.status]}）`, 'action');
			if (v.beforePhotoId) {
				const [p] = await tx.sql`SELECT 1 FROM request_photos WHERE id = ${v.beforePhotoId} AND request_id = ${requestId} AND kind IN ('report', 'before')`;
				if (!p) throw badParam('beforePhotoId', '整改前照片（beforePhotoId）须是本诉求的现场照片或处置前照片');
			}
			const [{ id }] = await tx.sql<{ id: number }>`
				INSERT INTO request_verifications (request_id, verified_by, verified_at, result, note, before_photo_id, before_path, before_type, after_path, after_type)
				VALUES (${requestId}, ${actor.id}, ${now}, ${v.result}, ${v.note}, ${v.beforePhotoId}, ${before?.path ?? null}, ${before?.type ?? null},
				        ${after.path}, ${after.type}) RETURNING id`;
			if (v.result === 'fail') {
				const res = await applyMove(tx, actor, { requestId, action: 'reopen', version: r.version, reason: `核查不通过：${v.note}`, now }, []);
				return { id, status: res.status };
			}
			return { id, status: r.status };
		});
	} catch (e) {
		discardPhotos(before ? [after, before] : [after]);
		throw e;
	}
}

/** 申诉: the handling department (or an admin) contests the latest, unsatisfied 评单. */
export async function fileAppeal(db: Database, actor: Actor, requestId: number, reasonRaw: unknown, now = new Date()): Promise<number> {
	const reason = typeof reasonRaw === 'string' ? reasonRaw.trim() : '';
	if (!reason) throw badParam('reason', '请填写申诉理由（reason）');
	if (reason.length > 500) throw badParam('reason', '申诉理由（reason）不能超过 500 个字');
	return inTx(db, async (tx) => {
		const [r] = await tx.sql<{ department_id: number | null }>`SELECT department_id FROM requests WHERE id = ${requestId} FOR UPDATE`;
		if (!r) throw new ApiError(404, 'not_found', `诉求 ${requestId} 不存在或不在你的范围内`, 'id');
		if (actor.role !== 'admin' && !(actor.role === 'department_staff' && actor.departmentId === r.department_id)) {
			throw new ApiError(403, 'forbidden', '只有承办部门可以申诉');
		}
		const ev = await latestEvaluation(tx, requestId);
		const problem = appealProblem(ev, now, ev?.appealed ?? false);
		if (problem) throw new ApiError(422, 'guard', problem, 'action');
		const [{ id }] = await tx.sql<{ id: number }>`
			INSERT INTO request_appeals (request_id, event_id, filed_by, filed_at, reason) VALUES (${requestId}, ${ev!.id}, ${actor.id}, ${now}, ${reason}) RETURNING id`;
		return id;
	});
}

/** 裁定申诉: the command centre upholds (the evaluation leaves the KPI) or rejects, once. */
export async function decideAppeal(db: Database, actor: Actor, requestId: number, d: { decision: 'upheld' | 'rejected'; reason: string | null }, now = new Date()): Promise<void> {
	if (actor.role !== 'admin') throw new ApiError(403, 'forbidden', '只有指挥中心可以裁定申诉');
	await inTx(db, async (tx) => {
		const done = await tx.sql`UPDATE request_appeals SET status = ${d.decision}, decided_by = ${actor.id}, decided_at = ${now}, decision_reason = ${d.reason}
			WHERE request_id = ${requestId} AND status = 'pending' RETURNING id`;
		if (!done.length) throw new ApiError(422, 'guard', '没有待裁定的申诉', 'action');
	});
}

async function latestEvaluation(db: Queryable, requestId: number) {
	const [e] = await db.sql<{ id: number; at: Date; satisfaction: string | null; appealed: boolean }>`
		SELECT e.id, e.at, e.payload->>'satisfaction' AS satisfaction, EXISTS (SELECT 1 FROM request_appeals a WHERE a.event_id = e.id) AS appealed
		FROM request_events e WHERE e.request_id = ${requestId} AND e.action = 'evaluate' ORDER BY e.at DESC, e.id DESC LIMIT 1`;
	return e ?? null;
}

export interface VerificationRow {
	id: number; round: number; by: string; at: Date; result: VerifyResult; resultLabel: string; note: string | null;
	beforePhotoId: number | null; hasOwnBefore: boolean;
}
export interface AppealRow {
	id: number; by: string; at: Date; reason: string; status: AppealStatus; decidedBy: string | null; decidedAt: Date | null; decisionReason: string | null;
}
export interface VerificationInfo {
	verifyRequired: boolean;
	/** requests.reopen_count: the round a verification now would belong to */
	round: number;
	resolverId: number | null;
	verifications: VerificationRow[];
	appeals: AppealRow[];
	/** the latest 评单, for whether a 申诉 may be filed */
	evaluation: { id: number; at: Date; satisfaction: string | null; appealed: boolean } | null;
}

/** What the request page shows of 核查 and 申诉. */
export async function verificationInfo(db: Queryable, id: number): Promise<VerificationInfo> {
	const [r] = await db.sql<{ verify_required: boolean; reopen_count: number; resolver: number | null }>`
		SELECT c.verify_required, r.reopen_count,
		       (SELECT e.actor_id FROM request_events e WHERE e.request_id = r.id AND e.action = 'resolve' ORDER BY e.at DESC, e.id DESC LIMIT 1) AS resolver
		FROM requests r JOIN categories c ON c.code = r.category_code WHERE r.id = ${id}`;
	const verifications = (await db.sql<Omit<VerificationRow, 'resultLabel'>>`
		SELECT v.id, v.round, u.display_name AS by, v.verified_at AS at, v.result, v.note, v.before_photo_id AS "beforePhotoId",
		       v.before_path IS NOT NULL AS "hasOwnBefore"
		FROM request_verifications v JOIN users u ON u.id = v.verified_by WHERE v.request_id = ${id} ORDER BY v.id`)
		.map((v) => ({ ...v, resultLabel: VERIFY_RESULT_LABEL[v.result] }));
	const appeals = await db.sql<AppealRow>`
		SELECT a.id, fu.display_name AS by, a.filed_at AS at, a.reason, a.status, du.display_name AS "decidedBy", a.decided_at AS "decidedAt",
		       a.decision_reason AS "decisionReason"
		FROM request_appeals a JOIN users fu ON fu.id = a.filed_by LEFT JOIN users du ON du.id = a.decided_by
		WHERE a.request_id = ${id} ORDER BY a.id`;
	return {
		verifyRequired: r?.verify_required ?? false, round: r?.reopen_count ?? 0, resolverId: r?.resolver ?? null,
		verifications, appeals, evaluation: await latestEvaluation(db, id)
	};
}

/** One verification photo ('before' taken at the verification, or 'after'), if the user sees the request. */
export async function readVerificationPhoto(db: Queryable, requestId: number, verificationId: number, which: 'before' | 'after') {
	const [v] = await db.sql<{ before_path: string | null; before_type: string | null; after_path: string; after_type: string }>`
		SELECT before_path, before_type, after_path, after_type FROM request_verifications WHERE id = ${verificationId} AND request_id = ${requestId}`;
	if (!v) return null;
	if (which === 'after') return readStoredPhoto({ path: v.after_path, type: v.after_type });
	return v.before_path ? readStoredPhoto({ path: v.before_path, type: v.before_type! }) : null;
}

/** 申诉待裁定: for the command centre's workspace, oldest first. */
export function pendingAppeals(db: Queryable) {
	return db.sql<{ id: number; code: string; title: string; department: string | null; reason: string; filed_at: Date }>`
		SELECT r.id, r.code, r.title, d.name AS department, a.reason, a.filed_at
		FROM request_appeals a JOIN requests r ON r.id = a.request_id LEFT JOIN departments d ON d.id = a.department_id
		WHERE a.status = 'pending' ORDER BY a.filed_at LIMIT 100`;
}
