// One move of the request loop: checks (friendly messages from the domain), then
// request_transition() writes the event row and the new state in one statement inside one
// transaction. Concurrency: the row is locked and its version compared (If-Match), so of two
// people acting at once exactly one wins. Retries: an idempotency key seen before returns the
// first answer and writes nothing.
import { ApiError, badParam } from '../../domain/apierror';
import { deadlineStartedBy, startsDeadline, whistleDeadline, type DeadlineRule } from '../../domain/deadlines';
import {
	ACTION_LABEL, STATUS_LABEL, allowedActions, authorityProblem, checkTransition, type Actor, type Assignment, type RequestAction, type RequestStatus
} from '../../domain/workflow';
import type { Database, Queryable } from '../db/client';
import { holidays } from './deadlineRules';
import type { RequestDetail } from './detail';
import { toApiError } from '../http/errors';
import { bodyHash, exactlyOnce, keyReused } from './idempotency';
import { checkPhotos, moveKind, type PhotoInput } from '../../domain/photos';
import { recordPhotos, type StoredPhoto } from './photos';
import { notifyMove } from '../notifications/notices';
import { extendedDeadline, mergeProblem } from '../../domain/cases';

export interface MoveInput {
	requestId: number;
	action: string;
	/** the version the actor saw (If-Match); required except for 报到 */
	version: number | null;
	reason?: string | null;
	idempotencyKey?: string | null;
	/** 派单/改派 target; for 报到 an admin may name the department */
	departmentId?: number | null;
	/** 吹哨: the departments summoned */
	departments?: number[];
	satisfaction?: string | null;
	solved?: boolean | null;
	claimedBy?: string | null;
	mediatorId?: number | null;
	/** 合并: the original the duplicate is merged into */
	into?: number | null;
	/** photos of the work: 处置前 at 接单, 处置后 at 办结 (request_photos, 0016) */
	photos?: readonly PhotoInput[];
	/** the clock; tests pass a fixed one */
	now?: Date;
}

export interface MoveResult {
	id: number;
	code: string;
	status: RequestStatus;
	version: number;
	/** true when an earlier submission with the same idempotency key already did this */
	replayed: boolean;
}

const NEEDS_REASON: ReadonlySet<string> = new Set(['return', 'redispatch', 'escalate', 'reopen', 'void', 'merge']);
const DEFAULT_RULE: DeadlineRule = { acceptWorkingDays: 1, resolveWorkingDays: 7, whistleReportHours: 24 };

export async function moveRequest(db: Database, actor: Actor, input: MoveInput): Promise<MoveResult> {
	const key = input.idempotencyKey ?? null;
	const photos = input.photos ?? [];
	return exactlyOnce(db, {
		userId: actor.id,
		key,
		hash: key ? moveHash(input) : '',
		photos,
		check: () => {
			if (photos.length && !moveKind(input.action)) throw badParam('photos', `只有接单（处置前）和办结（处置后）可以附照片（photos），“${input.action}”不可以`);
			checkPhotos(photos, 'photos');
		},
		replay: () => replay(db, actor.id, key!, input.requestId, input.action),
		work: (tx, stored) => applyMove(tx, actor, input, stored),
		mapError: (e) => toApiError(e) ?? e
	});
}

/** What makes two submissions of a move the same one (the clock and the key itself do not; photos by their digests). */
const moveHash = ({ now: _now, idempotencyKey: _key, photos, ...body }: MoveInput) =>
	bodyHash(photos?.length ? { ...body, photos: photos.map((p) => ({ type: p.type, sha256: bodyHash(p.bytes) })) } : body);

async function replay(db: Queryable, actorId: number, key: string, requestId: number, action: string): Promise<MoveResult | null> {
	// only the actor's own event: another user's answer is never replayed, whoever may read it
	const [e] = await db.sql<{ request_id: number; action: string }>`
		SELECT request_id, action FROM request_events WHERE idempotency_key = ${key} AND actor_id = ${actorId}`;
	if (!e) return null;
	if (e.request_id !== requestId || e.action !== action) {
		throw keyReused('已用于另一次提交');
	}
	const [r] = await db.sql<MoveResult>`SELECT id, code, status, version FROM requests WHERE id = ${requestId}`;
	return { ...r, replayed: true };
}

interface Locked {
	id: number; code: string; status: RequestStatus; version: number; kind: string; category_code: string; priority: string;
	department_id: number | null; leader_id: number | null; mediator_id: number | null; grid_code: string;
	satisfaction: 'satisfied' | 'basic' | 'unsatisfied' | null; solved: boolean | null; resolve_deadline: Date | null;
	pending: number; whistled: number[]; managers: number[]; category_department: number | null;
	verify_required: boolean; verification: 'pass' | 'fail' | null; reopen_count: number;
}

/**
 * The moves the detail page offers `actor`: those the state machine allows from the request's
 * status that pass the authority check moveRequest makes. 报到 is offered only to a department
 * whose own summons is still due (moveRequest would refuse a second one as 已经报到).
 */
export function offeredMoves(actor: Actor, r: RequestDetail): RequestAction[] {
	const assignment: Assignment = {
		departmentId: r.departmentId, gridManagerIds: r.gridManagerIds, leaderId: r.leaderId, mediatorId: r.mediatorId,
		whistledDepartmentIds: r.whistles.filter((s) => !s.checkedInAt).map((s) => s.departmentId)
	};
	// 延期 is approved from its request (the extension card), 合并 with its original chosen: their own forms
	return allowedActions(r.status as RequestStatus).filter((a) => a !== 'extend' && !authorityProblem(a, actor, assignment));
}

async function lockRequest(tx: Queryable, id: number): Promise<Locked> {
	const [r] = await tx.sql<Locked>`
		SELECT r.id, r.code, r.status, r.version, r.kind, r.category_code, r.priority, r.department_id, r.leader_id,
		       r.mediator_id, r.grid_code, r.satisfaction, r.solved, r.resolve_deadline, c.department_id AS category_department,
		       c.verify_required, r.reopen_count,
		       (SELECT v.result FROM request_verifications v WHERE v.request_id = r.id AND v.round = r.reopen_count ORDER BY v.id DESC LIMIT 1) AS verification,
		       (SELECT count(*) FROM whistle_summons s WHERE s.request_id = r.id AND s.checked_in_at IS NULL) AS pending,
		       (SELECT coalesce(array_agg(s.department_id), '{}') FROM whistle_summons s WHERE s.request_id = r.id) AS whistled,
		       (SELECT coalesce(array_agg(ug.user_id), '{}') FROM user_grids ug WHERE ug.grid_code = r.grid_code) AS managers
		FROM requests r JOIN categories c ON c.code = r.category_code
		WHERE r.id = ${id} FOR UPDATE OF r`;
	if (!r) throw new ApiError(404, 'not_found', `诉求 ${id} 不存在`, 'id');
	return r;
}

export async function applyMove(tx: Queryable, actor: Actor, input: MoveInput, photos: readonly StoredPhoto[]): Promise<MoveResult> {
	const r = await lockRequest(tx, input.requestId);
	// checked again under the row lock: a concurrent retry that committed first is now visible
	if (input.idempotencyKey) {
		const seen = await replay(tx, actor.id, input.idempotencyKey, input.requestId, input.action);
		if (seen) return seen;
	}
	if (input.version === null && input.action !== 'checkin') {
		throw new ApiError(428, 'version_required', `请提交当前版本号（If-Match 或 version），以免覆盖他人的操作；当前版本 ${r.version}`, 'version');
	}
	if (input.version !== null && input.version !== r.version) {
		throw new ApiError(409, 'conflict', `该诉求已被他人处理：现在是“${STATUS_LABEL[r.status]}”，版本 ${r.version}（你看到的是版本 ${input.version}）。请刷新后再操作`, 'version');
	}
	const check = checkTransition(r.status, input.action, {
		pendingWhistles: r.pending, satisfaction: r.satisfaction, solved: r.solved, verifyRequired: r.verify_required, verification: r.verification
	});
	if (!check.ok) throw new ApiError(422, check.code, check.message, 'action');
	const action = input.action as RequestAction;
	// every summoned department passes here: a second 报到 is refused by request_transition as 已经报到
	const denied = authorityProblem(action, actor, {
		departmentId: r.department_id, gridManagerIds: r.managers, leaderId: r.leader_id, mediatorId: r.mediator_id,
		whistledDepartmentIds: r.whistled
	});
	if (denied) throw new ApiError(403, 'forbidden', denied);
	const reason = input.reason?.trim() || null;
	if (NEEDS_REASON.has(action) && !reason) throw badParam('reason', `${ACTION_LABEL[action]}必须说明原因（reason）`);
	if (reason && reason.length > 500) throw badParam('reason', `原因（reason）不能超过 500 个字`);
	const now = input.now ?? new Date();
	const { department, payload } = await movePayload(tx, actor, r, action, input, now);
	const [{ version }] = await tx.sql<{ version: number }>`
		SELECT request_transition(${r.id}, ${action}, ${input.version}, ${actor.id}, ${department}, ${now},
		  ${reason ?? ACTION_LABEL[action]}, ${input.idempotencyKey ?? null}, ${JSON.stringify(payload)}) AS version`;
	const kind = moveKind(action);
	if (kind && photos.length) {
		// the event request_transition() just wrote (the row is locked: no other move came between)
		const [{ id: eventId }] = await tx.sql<{ id: number }>`SELECT max(id) AS id FROM request_events WHERE request_id = ${r.id}`;
		await recordPhotos(tx, r.id, eventId, kind, photos, actor.id);
	}
	// the notices this move causes, in its transaction (src/lib/domain/notices.ts says who)
	await notifyMove(tx, {
		actorId: actor.id, requestId: r.id, action, summoned: payload.departments as number[] | undefined, into: payload.into as number | undefined,
		departmentId: action === 'dispatch' || action === 'redispatch' ? department : r.department_id
	});
	return { id: r.id, code: r.code, status: check.to, version, replayed: false };
}

/** The department and payload a move writes: deadlines at 派单, summons at 吹哨, the rating at 评单. */
async function movePayload(tx: Queryable, actor: Actor, r: Locked, action: RequestAction, input: MoveInput, now: Date) {
	const payload: Record<string, unknown> = {};
	let department: number | null = actor.departmentId;
	if (action === 'dispatch' || action === 'redispatch') {
		department = input.departmentId ?? (action === 'dispatch' ? r.category_department : null);
		if (!department) throw badParam('departmentId', '派单必须选择责任部门（departmentId）');
		await requireDepartments(tx, [department], 'departmentId');
		if (input.mediatorId) payload.mediator_id = input.mediatorId;
	} else if (action === 'escalate') {
		const depts = [...new Set(input.departments ?? [])];
		if (depts.length === 0) throw badParam('departments', '吹哨必须选择至少一个报到部门（departments）');
		await requireDepartments(tx, depts, 'departments');
		payload.departments = depts;
		payload.whistle_deadline = whistleDeadline(now, await ruleFor(tx, r.category_code, r.priority)).toISOString();
		department = r.department_id;
	} else if (action === 'checkin') {
		department = actor.role === 'admin' ? (input.departmentId ?? null) : actor.departmentId;
		if (!department) throw badParam('departmentId', '报到必须指明部门（departmentId）');
	} else if (action === 'evaluate') {
		if (!['satisfied', 'basic', 'unsatisfied'].includes(input.satisfaction ?? '')) {
			throw badParam('satisfaction', '请选择满意度（satisfaction）：满意 satisfied / 基本满意 basic / 不满意 unsatisfied');
		}
		if (typeof input.solved !== 'boolean') throw badParam('solved', '请选择是否已解决（solved：true/false）');
		payload.satisfaction = input.satisfaction;
		payload.solved = input.solved;
		department = null;
	} else if (action === 'merge') {
		if (!input.into) throw badParam('into', '合并必须选择原诉求（into）');
		const [original] = await tx.sql<{ id: number; kind: string; status: string; code: string }>`
			SELECT id, kind, status, code FROM requests WHERE id = ${input.into}`;
		const problem = mergeProblem(r, original ?? null);
		if (problem) throw badParam('into', problem);
		payload.into = original.id;
	} else if (action === 'extend') {
		// approving the department's pending 延期: its days added to the resolve deadline in force
		const [ext] = await tx.sql<{ id: number; days: number }>`
			SELECT id, days FROM request_extensions WHERE request_id = ${r.id} AND status = 'pending' FOR UPDATE`;
		if (!ext) throw new ApiError(422, 'guard', '没有待审批的延期申请', 'action');
		if (!r.resolve_deadline) throw new ApiError(422, 'guard', '该诉求没有办结时限，无从延期', 'action');
		payload.extension_id = ext.id;
		payload.resolve_deadline = extendedDeadline(new Date(r.resolve_deadline), ext.days, await holidays(tx)).toISOString();
		department = r.department_id;
	} else if (action === 'accept' && r.kind === 'wish') {
		const who = input.claimedBy?.trim();
		if (!who) throw badParam('claimedBy', '认领微心愿必须填写认领人或单位（claimedBy）');
		if (who.length > 100) throw badParam('claimedBy', '认领人（claimedBy）不能超过 100 个字');
		payload.claimed_by = who;
	}
	// 派单, 改派 and 返工 start a new accept deadline, 接单 a new resolve deadline: the rule in force now
	if (startsDeadline(action)) {
		const started = deadlineStartedBy(action, now, await ruleFor(tx, r.category_code, r.priority), await holidays(tx));
		for (const [k, v] of Object.entries(started ?? {})) payload[k] = v.toISOString();
	}
	return { department, payload };
}

async function requireDepartments(tx: Queryable, ids: number[], field: string) {
	if (ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) throw badParam(field, `部门编号（${field}）必须是正整数`);
	const found = await tx.sql<{ id: number }>`SELECT id FROM departments WHERE id = ANY(${ids}::int[])`;
	const missing = ids.filter((id) => !found.some((f) => f.id === id));
	if (missing.length) throw badParam(field, `部门不存在（${field}）：${missing.join('、')}`);
}

export async function ruleFor(db: Queryable, category: string, priority: string): Promise<DeadlineRule> {
	const [rule] = await db.sql<DeadlineRule>`
		SELECT accept_working_days AS "acceptWorkingDays", resolve_working_days AS "resolveWorkingDays",
		       whistle_report_hours AS "whistleReportHours"
		FROM deadline_rules WHERE category_code = ${category} AND priority = ${priority}`;
	return rule ?? DEFAULT_RULE;
}

