// Notices (通知): who is told of which move of the request loop, and when a deadline warns.
// The one place for these rules: the server resolves an audience to the active users it names and
// writes one row per user in the move's transaction (src/lib/server/notifications/).
// Following the workflow of domain.md: the one who must act next is told —
//   派单/改派 → the department it went to (接单 is theirs);
//   吹哨       → each summoned department (报到 is theirs);
//   退单       → the command centre, who 改派 (and the 网格员 who reported it learns it bounced);
//   返工       → the department, who 接单 again.
//   作废       → the 网格员 who reported it learns it was voided;
//   合并       → the reporters of both the duplicate and its original (their cases are now one);
//   延期 asked → the command centre, who decides; decided (批准 extend, or 不予延期) → the department;
//   催办       → the department; from the second one (URGE_ESCALATE_AT) also the command centre.
// 接单, 报到, 办结, 评单 and 销号 tell nobody: the next step is the mover's own or the citizen's.
import { badParam } from './apierror';
import { AWAITING_ACCEPT, IN_WORK } from './deadlines';
import type { RequestAction, RequestStatus } from './workflow';

export type NoticeKind = 'dispatched' | 'whistle' | 'returned' | 'reopened' | 'deadline'
	| 'voided' | 'merged' | 'extension_asked' | 'extension_decided' | 'urged' | 'urge_escalated';
export const NOTICE_KINDS: readonly NoticeKind[] = ['dispatched', 'whistle', 'returned', 'reopened', 'deadline',
	'voided', 'merged', 'extension_asked', 'extension_decided', 'urged', 'urge_escalated'];

/**
 * Who a move's notice goes to: 'department' the request's department after the move,
 * 'summoned' the departments a 吹哨 names, 'command_centre' the active admins (指挥中心),
 * 'reporter' the user who filed the request (when a user did).
 */
export type NoticeAudience = 'department' | 'summoned' | 'command_centre' | 'reporter' | 'original_reporter';

export const MOVE_NOTICES: Partial<Record<RequestAction, { kind: NoticeKind; audience: readonly NoticeAudience[] }>> = {
	dispatch: { kind: 'dispatched', audience: ['department'] },
	redispatch: { kind: 'dispatched', audience: ['department'] },
	escalate: { kind: 'whistle', audience: ['summoned'] },
	return: { kind: 'returned', audience: ['command_centre', 'reporter'] },
	reopen: { kind: 'reopened', audience: ['department'] },
	void: { kind: 'voided', audience: ['reporter'] },
	merge: { kind: 'merged', audience: ['reporter', 'original_reporter'] },
	extend: { kind: 'extension_decided', audience: ['department'] }
};

/** The notices of 延期 and 催办, which are not moves of the loop (the server writes them with the row). */
export const CASE_NOTICES = {
	extensionAsked: { kind: 'extension_asked', audience: ['command_centre'] },
	extensionRefused: { kind: 'extension_decided', audience: ['department'] },
	urged: { kind: 'urged', audience: ['department'] },
	urgeEscalated: { kind: 'urge_escalated', audience: ['department', 'command_centre'] }
} as const satisfies Record<string, { kind: NoticeKind; audience: readonly NoticeAudience[] }>;

/** What a move tells, or null. The mover is never told of their own move (the server leaves them out). */
export function noticeOfMove(action: RequestAction): { kind: NoticeKind; audience: readonly NoticeAudience[] } | null {
	return MOVE_NOTICES[action] ?? null;
}

/** A deadline warns this many hours ahead (即将到期). */
export const DEADLINE_NOTICE_HOURS = 24;

/** How often each app process looks for deadlines entering that window: a warning comes at most this late. */
export const DEADLINE_SCAN_MINUTES = 5;

/**
 * Statuses in which the request's department must beat its stage deadline: not yet accepted after a
 * 派单 or 返工 (the accept deadline), or in work (the resolve deadline). A returned request waits for
 * the command centre, not the department, so it warns nobody.
 */
export const DEADLINE_NOTICE_STATUSES: readonly RequestStatus[] = [...AWAITING_ACCEPT.filter((s) => s !== 'returned'), ...IN_WORK];

export type DeadlineStage = 'accept' | 'resolve' | 'checkin';

export const NOTICE_LABEL: Record<NoticeKind, string> = {
	dispatched: '新派单',
	whistle: '吹哨报到',
	returned: '退单待改派',
	reopened: '返工',
	deadline: '即将到期',
	voided: '已作废',
	merged: '已合并',
	extension_asked: '延期待审批',
	extension_decided: '延期审批结果',
	urged: '催办',
	urge_escalated: '多次催办'
};

const STAGE_LABEL: Record<DeadlineStage, string> = { accept: '接单', resolve: '办结', checkin: '报到' };

/** The notice's line in the list (Chinese): what happened and, for a deadline, which one. */
export function noticeText(n: { kind: NoticeKind; stage?: DeadlineStage | null; code: string; title: string }): string {
	switch (n.kind) {
		case 'dispatched': return `新派单：${n.code} ${n.title}`;
		case 'whistle': return `吹哨：请到 ${n.code} 报到（${n.title}）`;
		case 'returned': return `退单：${n.code} ${n.title} 待改派`;
		case 'reopened': return `返工：${n.code} ${n.title} 需重新办理`;
		case 'voided': return `已作废：${n.code} ${n.title}`;
		case 'merged': return `已合并：${n.code} ${n.title} 与另一件诉求合并办理`;
		case 'extension_asked': return `延期申请待审批：${n.code} ${n.title}`;
		case 'extension_decided': return `延期申请已审批：${n.code} ${n.title}`;
		case 'urged': return `催办：请加快办理 ${n.code} ${n.title}`;
		case 'urge_escalated': return `多次催办：${n.code} ${n.title} 已被催办两次以上`;
		case 'deadline': return `${STAGE_LABEL[n.stage ?? 'resolve']}时限 24 小时内到期：${n.code} ${n.title}`;
	}
}

/** The most notices one page of the list holds. */
export const NOTICE_PAGE_MAX = 100;

/** POST /api/notifications/read: `{ids: [1, 2]}` or `{all: true}`. */
export function parseReadRequest(b: Record<string, unknown>): number[] | 'all' {
	if (b.all === true) return 'all';
	if (b.all !== undefined && b.all !== false) throw badParam('all', '全部已读（all）必须是 true');
	if (!Array.isArray(b.ids) || b.ids.length === 0) throw badParam('ids', '请给出要标为已读的通知编号（ids，数组），或 all: true');
	if (b.ids.length > NOTICE_PAGE_MAX * 10) throw badParam('ids', `一次最多标记 ${NOTICE_PAGE_MAX * 10} 条通知（ids）`);
	return b.ids.map((x) => {
		const n = typeof x === 'number' ? x : Number.NaN;
		if (!Number.isSafeInteger(n) || n <= 0) throw badParam('ids', `通知编号（ids）必须是正整数，收到 ${JSON.stringify(x)}`);
		return n;
	});
}
