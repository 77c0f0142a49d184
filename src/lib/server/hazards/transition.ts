// One move of the hazard loop, as moveRequest does it for requests: the domain's checks first
// (friendly messages), then hazard_transition() (0020) writes the event and the new state in one
// statement inside one transaction, with the photos of the move. The row is locked and its version
// compared (If-Match); an idempotency key seen before returns the first answer and writes nothing.
import { ApiError, badParam } from '../../domain/apierror';
import {
	checkHazardMove, HAZARD_ACTION_LABEL, HAZARD_FLOW_STATUS_LABEL, HAZARD_NEEDS_NOTE, hazardAllowedActions, hazardAuthorityProblem,
	hazardMoveKind, rectifyDeadline, reinspectDeadline, type HazardAction, type HazardActor
} from '../../domain/hazardflow';
import type { HazardStatus } from '../../domain/hazard';
import { checkPhotos, type PhotoInput } from '../../domain/photos';
import type { Database, Queryable } from '../db/client';
import { toApiError } from '../http/errors';
import { bodyHash, exactlyOnce, keyReused } from '../requests/idempotency';
import type { StoredPhoto } from '../requests/photos';
import { recordHazardPhotos } from './photos';

export interface HazardMoveInput {
	hazardId: number;
	action: string;
	/** the version the actor saw (If-Match) */
	version: number | null;
	note?: string | null;
	/** 交办: the responsible department */
	departmentId?: number | null;
	/** 整改前 at 开始整改, 整改后 at 整改完成 (required there) */
	photos?: readonly PhotoInput[];
	idempotencyKey?: string | null;
	now?: Date;
}

export interface HazardMoveResult { id: number; code: string; status: HazardStatus; version: number; replayed: boolean }

export async function moveHazard(db: Database, actor: HazardActor, input: HazardMoveInput): Promise<HazardMoveResult> {
	const key = input.idempotencyKey ?? null;
	const photos = input.photos ?? [];
	return exactlyOnce(db, {
		userId: actor.id,
		key,
		hash: key ? moveHash(input) : '',
		photos,
		check: () => {
			if (photos.length && !hazardMoveKind(input.action)) throw badParam('photos', `只有开始整改（整改前）和整改完成（整改后）可以附照片（photos），“${input.action}”不可以`);
			checkPhotos(photos, 'photos');
		},
		replay: () => replay(db, actor.id, key!, input.hazardId, input.action),
		work: (tx, stored) => applyMove(tx, actor, input, stored),
		mapError: (e) => toApiError(e) ?? e
	});
}

const moveHash = ({ now: _now, idempotencyKey: _key, photos, ...body }: HazardMoveInput) =>
	bodyHash(photos?.length ? { ...body, photos: photos.map((p) => ({ type: p.type, sha256: bodyHash(p.bytes) })) } : body);

async function replay(db: Queryable, actorId: number, key: string, hazardId: number, action: string): Promise<HazardMoveResult | null> {
	const [e] = await db.sql<{ hazard_id: number; action: string }>`
		SELECT hazard_id, action FROM hazard_events WHERE idempotency_key = ${key} AND actor_id = ${actorId}`;
	if (!e) return null;
	if (e.hazard_id !== hazardId || e.action !== action) throw keyReused('已用于另一次提交');
	const [h] = await db.sql<HazardMoveResult>`SELECT id, code, status, version FROM hazards WHERE id = ${hazardId}`;
	return { ...h, replayed: true };
}

interface Locked {
	id: number; code: string; status: HazardStatus; version: number; type: string; severity: number;
	department_id: number | null; managers: number[]; rectified_by: number | null;
}

/** The moves the detail page offers `actor`: allowed now, within their authority, not refused by a guard. */
export function offeredHazardMoves(
	actor: HazardActor, h: { status: string; departmentId: number | null; gridManagerIds: number[]; rectifiedBy: number | null }
): HazardAction[] {
	return hazardAllowedActions(h.status as HazardStatus).filter((a) =>
		!hazardAuthorityProblem(a, actor, { departmentId: h.departmentId, gridManagerIds: h.gridManagerIds })
		// the photo guard is the form's to satisfy: count one
		&& checkHazardMove(h.status as HazardStatus, a, actor.id, { departmentId: h.departmentId, rectifiedBy: h.rectifiedBy, photos: 1 }).ok);
}

async function lockHazard(tx: Queryable, id: number): Promise<Locked> {
	const [h] = await tx.sql<Locked>`
		SELECT h.id, h.code, h.status, h.version, h.type, h.severity, h.department_id, hazard_rectified_by(h.id) AS rectified_by,
		       (SELECT coalesce(array_agg(ug.user_id), '{}') FROM user_grids ug WHERE ug.grid_code = h.grid_code) AS managers
		FROM hazards h WHERE h.id = ${id} FOR UPDATE OF h`;
	if (!h) throw new ApiError(404, 'not_found', `隐患 ${id} 不存在`, 'id');
	return h;
}

async function applyMove(tx: Queryable, actor: HazardActor, input: HazardMoveInput, photos: readonly StoredPhoto[]): Promise<HazardMoveResult> {
	const h = await lockHazard(tx, input.hazardId);
	if (input.idempotencyKey) {
		const seen = await replay(tx, actor.id, input.idempotencyKey, input.hazardId, input.action);
		if (seen) return seen;
	}
	if (input.version === null) {
		throw new ApiError(428, 'version_required', `请提交当前版本号（If-Match 或 version），以免覆盖他人的操作；当前版本 ${h.version}`, 'version');
	}
	if (input.version !== h.version) {
		throw new ApiError(409, 'conflict', `该隐患已被他人处理：现在是“${HAZARD_FLOW_STATUS_LABEL[h.status]}”，版本 ${h.version}（你看到的是版本 ${input.version}）。请刷新后再操作`, 'version');
	}
	const check = checkHazardMove(h.status, input.action, actor.id, { departmentId: h.department_id, rectifiedBy: h.rectified_by, photos: photos.length });
	if (!check.ok) throw new ApiError(422, check.code, check.message, check.message.includes('照片') ? 'photos' : 'action');
	const action = input.action as HazardAction;
	const denied = hazardAuthorityProblem(action, actor, { departmentId: h.department_id, gridManagerIds: h.managers });
	if (denied) throw new ApiError(403, 'forbidden', denied);
	const note = input.note?.trim() || null;
	if (HAZARD_NEEDS_NOTE.includes(action) && !note) throw badParam('note', `${HAZARD_ACTION_LABEL[action]}必须说明仍存在的问题（note）`);
	if (note && note.length > 500) throw badParam('note', '说明（note）不能超过 500 个字');
	const now = input.now ?? new Date();
	let department: number | null = actor.departmentId;
	let deadline: Date | null = null;
	if (action === 'assign') {
		department = input.departmentId ?? null;
		if (!department) throw badParam('departmentId', '交办必须选择责任部门（departmentId）');
		const [d] = await tx.sql`SELECT 1 FROM departments WHERE id = ${department}`;
		if (!d) throw badParam('departmentId', `部门不存在（departmentId）：${department}`);
		deadline = rectifyDeadline(h.type, h.severity, now);
	} else if (action === 'reopen') {
		deadline = rectifyDeadline(h.type, h.severity, now);
	} else if (action === 'rectify') {
		deadline = reinspectDeadline(now);
	}
	const [{ version }] = await tx.sql<{ version: number }>`
		SELECT hazard_transition(${h.id}, ${action}, ${input.version}, ${actor.id}, ${department}, ${now},
		  ${note ?? HAZARD_ACTION_LABEL[action]}, ${input.idempotencyKey ?? null}, ${deadline}) AS version`;
	const kind = hazardMoveKind(action);
	if (kind && photos.length) {
		const [{ id: eventId }] = await tx.sql<{ id: number }>`SELECT max(id) AS id FROM hazard_events WHERE hazard_id = ${h.id}`;
		await recordHazardPhotos(tx, h.id, eventId, kind, photos, actor.id);
	}
	return { id: h.id, code: h.code, status: check.to, version, replayed: false };
}
