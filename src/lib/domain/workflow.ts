// The request loop of domain.md as data: which status may follow which, by which action.
// 点单 reported → 派单 dispatched → 接单 accepted → 办结 resolved → 评单 evaluated → 销号 closed,
// with the side paths 退单 returned, 吹哨 escalated (each summoned department 报到 before the joint
// resolution) and 返工 reopened. 立案审核 (GB/T 30428 case registration) happens on a reported or
// returned request: 派单 is 立案+派单 (accepted as a case and sent in one move), 作废 voids it with
// a reason, 合并 merges a duplicate into its open original. 延期 (an approved extension) keeps the
// status and moves the resolve deadline. TRANSITIONS is the single source: the demo seed walks it, the
// server checks it, and migrations 0003 and 0026 copy it into request_transitions (a test keeps them equal).
import { localDate } from './time';

export type RequestStatus =
	| 'reported' | 'dispatched' | 'accepted' | 'resolved' | 'evaluated' | 'closed'
	| 'returned' | 'escalated' | 'reopened' | 'voided' | 'merged';

export type RequestAction =
	| 'dispatch' | 'accept' | 'return' | 'redispatch' | 'escalate' | 'checkin' | 'resolve' | 'evaluate' | 'close' | 'reopen'
	| 'void' | 'merge' | 'extend';

export const ALL_STATUSES: readonly RequestStatus[] = [
	'reported', 'dispatched', 'accepted', 'resolved', 'evaluated', 'closed', 'returned', 'escalated', 'reopened', 'voided', 'merged'
];
export const ALL_ACTIONS: readonly RequestAction[] = [
	'dispatch', 'accept', 'return', 'redispatch', 'escalate', 'checkin', 'resolve', 'evaluate', 'close', 'reopen', 'void', 'merge', 'extend'
];

export const TRANSITIONS: Record<RequestStatus, Partial<Record<RequestAction, RequestStatus>>> = {
	// 立案审核: 立案+派单, 作废 or 合并 (also after a 退单 sent it back to the command centre)
	reported: { dispatch: 'dispatched', void: 'voided', merge: 'merged' },
	dispatched: { accept: 'accepted', return: 'returned' },
	returned: { redispatch: 'dispatched', void: 'voided', merge: 'merged' },
	// 延期 keeps the status: an approved extension moves the resolve deadline, recorded as a move
	accepted: { resolve: 'resolved', escalate: 'escalated', extend: 'accepted' },
	// 报到 keeps the request escalated; it is recorded like any other move (who, when)
	escalated: { checkin: 'escalated', resolve: 'resolved', extend: 'escalated' },
	resolved: { evaluate: 'evaluated' },
	evaluated: { close: 'closed', reopen: 'reopened' },
	reopened: { accept: 'accepted' },
	closed: {},
	voided: {},
	merged: {}
};

/** 派单 and 改派: the moves 受理率 counts, each with its own accept deadline (返工 starts one too, but is no dispatch). */
export const DISPATCH_ACTIONS: readonly RequestAction[] = ['dispatch', 'redispatch'];

export const OPEN_STATUSES: readonly RequestStatus[] = ['reported', 'dispatched', 'accepted', 'returned', 'escalated', 'reopened'];
/**
 * 已作废 and 已合并: ended at 立案审核 without being handled, neither open nor 办结. The KPI rule
 * (README, KPIs): such a request is in no KPI's numerator or denominator — it is never 超期, never
 * 应办结 (it never got a resolve deadline: only 接单 starts one, and void/merge happen before), never
 * resolved or evaluated — except 受理率, where a 派单 it received and that was sent back (退单) still
 * counts as the dispatch not accepted that it was. Its merged original carries the case on.
 */
export const CANCELLED_STATUSES: readonly RequestStatus[] = ['voided', 'merged'];
/** 已办结 and after (办结, 评单, 销号): every status that is neither open nor cancelled. */
export const DONE_STATUSES: readonly RequestStatus[] = ALL_STATUSES.filter((s) => !OPEN_STATUSES.includes(s) && !CANCELLED_STATUSES.includes(s));

export const ACTION_LABEL: Record<RequestAction | 'report', string> = {
	report: '上报（点单）',
	dispatch: '派单',
	accept: '接单',
	return: '退单',
	redispatch: '改派',
	escalate: '吹哨',
	checkin: '报到',
	resolve: '办结',
	evaluate: '评单',
	close: '销号',
	reopen: '返工',
	void: '作废',
	merge: '合并',
	extend: '延期'
};

export const STATUS_LABEL: Record<RequestStatus, string> = {
	reported: '已上报', dispatched: '已派单', accepted: '已接单', resolved: '已办结', evaluated: '已评价',
	closed: '已销号', returned: '已退单', escalated: '吹哨中', reopened: '返工', voided: '已作废', merged: '已合并'
};

/** The status `action` leads to from `from`, or null when the move is not allowed. */
export function nextStatus(from: RequestStatus, action: RequestAction): RequestStatus | null {
	return TRANSITIONS[from]?.[action] ?? null;
}

export function allowedActions(from: RequestStatus): RequestAction[] {
	return Object.keys(TRANSITIONS[from] ?? {}) as RequestAction[];
}

/** What the guards need to know besides the status. */
export interface TransitionContext {
	/** summoned departments that have not yet 报到 (吹哨) */
	pendingWhistles: number;
	/** the latest evaluation, for 返工 */
	satisfaction: 'satisfied' | 'basic' | 'unsatisfied' | null;
	solved: boolean | null;
	/** 核查: whether the category requires it before 销号, and this round's latest result (verification.ts) */
	verifyRequired?: boolean;
	verification?: 'pass' | 'fail' | null;
}

export type TransitionCheck = { ok: true; to: RequestStatus } | { ok: false; code: 'illegal_transition' | 'guard'; message: string };

const listActions = (from: RequestStatus) => {
	const acts = allowedActions(from);
	return acts.length ? acts.map((a) => `${ACTION_LABEL[a]}（${a}）`).join('、') : '无（已结束）';
};

/**
 * Whether `action` may happen now. Messages name the current state and what is allowed, in
 * Chinese, because they reach the person who pressed the button.
 */
export function checkTransition(from: RequestStatus, action: string, ctx: TransitionContext): TransitionCheck {
	const state = `${STATUS_LABEL[from] ?? from}（${from}）`;
	if (!(ALL_ACTIONS as readonly string[]).includes(action)) {
		return { ok: false, code: 'illegal_transition', message: `未知操作“${action}”。当前状态${state}，允许的操作：${listActions(from)}` };
	}
	const to = nextStatus(from, action as RequestAction);
	if (!to) {
		const label = ACTION_LABEL[action as RequestAction];
		return { ok: false, code: 'illegal_transition', message: `当前状态${state}不能${label}（${action}）。允许的操作：${listActions(from)}` };
	}
	if (action === 'resolve' && from === 'escalated' && ctx.pendingWhistles > 0) {
		return { ok: false, code: 'guard', message: `吹哨中，还有 ${ctx.pendingWhistles} 个部门未报到，全部报到后才能办结` };
	}
	if (action === 'reopen' && ctx.satisfaction !== 'unsatisfied' && ctx.solved !== false && ctx.verification !== 'fail') {
		return { ok: false, code: 'guard', message: '只有评价为“不满意”或“未解决”、或核查不通过的诉求才能返工' };
	}
	if (action === 'close' && ctx.verifyRequired && ctx.verification !== 'pass') {
		return { ok: false, code: 'guard', message: '该类别销号前需核查：请先由办结人以外的人员现场核查（附整改前、整改后照片），核查通过后才能销号' };
	}
	return { ok: true, to };
}

/** Who may press which button. `request` carries the assignment the check needs. */
export interface Actor { id: number; role: string; departmentId: number | null }
export interface Assignment {
	departmentId: number | null; gridManagerIds: number[]; leaderId: number | null; mediatorId: number | null;
	whistledDepartmentIds: number[];
}

/** null when allowed, else the reason (Chinese). Admins (指挥中心) may do everything. */
export function authorityProblem(action: RequestAction, actor: Actor, a: Assignment): string | null {
	if (actor.role === 'admin') return null;
	const assignee =
		(actor.role === 'department_staff' && actor.departmentId !== null && actor.departmentId === a.departmentId) ||
		(actor.role === 'mediator' && actor.id === a.mediatorId) ||
		(actor.role === 'leader' && actor.id === a.leaderId);
	const gridManager = actor.role === 'grid_manager' && a.gridManagerIds.includes(actor.id);
	let ok: boolean;
	switch (action) {
		// 派单 (立案), 作废, 合并 and approving 延期 are the command centre's
		case 'dispatch': case 'redispatch': case 'void': case 'merge': case 'extend': ok = false; break;
		case 'accept': case 'return': case 'resolve': ok = assignee; break;
		case 'escalate': ok = assignee || gridManager; break; // the community blows the whistle
		case 'checkin': ok = actor.role === 'department_staff' && a.whistledDepartmentIds.includes(actor.departmentId ?? -1); break;
		case 'evaluate': case 'close': case 'reopen': ok = gridManager || (actor.role === 'leader' && actor.id === a.leaderId); break;
		default: ok = false;
	}
	return ok ? null : `当前账号无权对此诉求执行“${ACTION_LABEL[action]}”`;
}

/** 诉求编号: 'SQ', the Beijing date of the report and the row id — the number read out on the phone. */
export function requestCode(id: number, reportedAt: Date): string {
	return `SQ${localDate(reportedAt).replaceAll('-', '')}${String(id).padStart(6, '0')}`;
}
