// 立案审核 and 督办 rules (issue 19) around the request loop of workflow.ts: which request may be
// merged into which (合并), what a 延期 (extension) request must say and the deadline it gives,
// who may 督办 (follow) and 催办 (remind), and when a 催办 escalates. Migration 0030 enforces the
// same in the database; these give the messages.
import { badParam } from './apierror';
import { addWorkingDays } from './calendar';
import { OPEN_STATUSES, STATUS_LABEL, type RequestStatus } from './workflow';

/** 合并: why `dup` cannot be merged into `original`, or null. Both must be seen by the caller. */
export function mergeProblem(dup: { id: number; kind: string }, original: { id: number; kind: string; status: string; code: string } | null): string | null {
	if (!original) return '原诉求不存在或不在你的范围内（into）';
	if (original.id === dup.id) return '诉求不能合并到它自己（into）';
	if (!(OPEN_STATUSES as readonly string[]).includes(original.status)) {
		return `原诉求 ${original.code} 已${STATUS_LABEL[original.status as RequestStatus] ?? original.status}，只能合并到未办结的诉求（into）`;
	}
	if (original.kind !== dup.kind) return `只能合并到同一类型的诉求（into）：原诉求 ${original.code} 类型不同`;
	return null;
}

/** 延期 may be asked while the request is worked on (接单 or 吹哨): its resolve deadline runs then. */
export const EXTENSION_STATUSES: readonly RequestStatus[] = ['accepted', 'escalated'];
export const EXTENSION_MAX_DAYS = 30;

export interface ExtensionAsk { days: number; reason: string }

/** A 延期 request from a form or JSON body: days (working days, 1–30) and a reason; errors name the field. */
export function parseExtensionAsk(b: Record<string, unknown>): ExtensionAsk {
	const days = Number(b.days);
	if (b.days === undefined || b.days === null || b.days === '' || !Number.isInteger(days) || days < 1 || days > EXTENSION_MAX_DAYS) {
		throw badParam('days', `延期天数（days）必须是 1–${EXTENSION_MAX_DAYS} 之间的整数工作日，收到 ${JSON.stringify(b.days ?? null)}`);
	}
	return { days, reason: requiredText(b.reason, 'reason', '延期原因') };
}

/** 延期 approved: the new resolve deadline is the one in force plus the asked working days (Beijing calendar, holidays skipped). */
export function extendedDeadline(current: Date, days: number, holidays: ReadonlySet<string> = new Set()): Date {
	return addWorkingDays(current, days, holidays);
}

/** 催办 goes to the department handling the request: after 派单 (or 返工) and until 办结; not before 立案, nor after a 退单 (the command centre has it then). */
export const URGE_STATUSES: readonly RequestStatus[] = ['dispatched', 'accepted', 'escalated', 'reopened'];

/** 催办: from the second reminder to the same department about the same request, the command centre is told too. */
export const URGE_ESCALATE_AT = 2;
export const urgeEscalates = (seq: number) => seq >= URGE_ESCALATE_AT;

/** Who may 督办: leaders (for themselves) and the command centre. */
export const maySupervise = (role: string) => role === 'leader' || role === 'admin';
/** Who may 催办: whoever has authority over the request — the command centre, leaders, its grid's 网格员 (row-level security narrows to the ones they see). */
export const mayUrge = (role: string) => role === 'admin' || role === 'leader' || role === 'grid_manager';

/** A required free text of at most 500 characters, trimmed; the error names the field. */
export function requiredText(raw: unknown, field: string, label: string): string {
	const s = typeof raw === 'string' ? raw.trim() : '';
	if (!s) throw badParam(field, `请填写${label}（${field}）`);
	if (s.length > 500) throw badParam(field, `${label}（${field}）不能超过 500 个字`);
	return s;
}

export const EXTENSION_STATUS_LABEL: Record<string, string> = { pending: '待审批', approved: '已批准', refused: '未批准' };
