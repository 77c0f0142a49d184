// 核查 before 销号 and 申诉 against an assessment (issue 19). 核查 (GB/T 30428 核查结案): for the
// categories where the result is a visible thing on site, 销号 waits for a verification by
// someone other than the one who resolved it, with a 整改前 and a 整改后 photo; 不通过 sends the
// request back (返工). 申诉: the handling department contests an unsatisfied 评单 within
// APPEAL_DAYS; the command centre upholds (the evaluation is set aside for the KPI, kpi.ts
// APPEAL_SETS_ASIDE) or rejects it. Migration 0033 enforces the same in the database; these give
// the messages.
import { badParam } from './apierror';
import type { RequestStatus } from './workflow';

/** 核查结果: 通过 / 不通过. */
export type VerifyResult = 'pass' | 'fail';
export const VERIFY_RESULTS: readonly VerifyResult[] = ['pass', 'fail'];
export const VERIFY_RESULT_LABEL: Record<VerifyResult, string> = { pass: '通过', fail: '不通过' };

/**
 * 销号前需核查, the default per category: the parents whose result one can see and photograph on
 * site (市政设施, 环境卫生, 安全隐患), and the physical works among the others (电梯故障, 房屋漏水,
 * 农田水利, 村道维修). Not: consultations, disputes, welfare, 微心愿 — there is nothing to photograph.
 * An admin changes it per category on /admin/deadlines. Migration 0033 applies the same list.
 */
export const VERIFY_DEFAULT_PARENTS: readonly string[] = ['municipal', 'environment', 'safety'];
export const VERIFY_DEFAULT_CODES: readonly string[] = ['property.elevator', 'property.leak', 'rural.irrigation', 'rural.village_road'];
export const verifyRequiredByDefault = (code: string, parent: string | null): boolean =>
	(parent !== null && VERIFY_DEFAULT_PARENTS.includes(parent)) || VERIFY_DEFAULT_CODES.includes(code);

/** 核查 happens after 评单 and before 销号: while the request is 已评价. */
export const VERIFY_STATUSES: readonly RequestStatus[] = ['evaluated'];

/** Who may verify: the command centre, the request's grid's 网格员 and its 包联 leader (those who close it). */
export function mayVerify(actor: { id: number; role: string }, a: { gridManagerIds: number[]; leaderId: number | null }): boolean {
	return actor.role === 'admin' || (actor.role === 'grid_manager' && a.gridManagerIds.includes(actor.id)) || (actor.role === 'leader' && actor.id === a.leaderId);
}

export interface VerifyInput { result: VerifyResult; note: string | null; beforePhotoId: number | null }

/** A 核查 from a form or JSON body: result, note (required for 不通过), the chosen 整改前 photo if any; errors name the field. */
export function parseVerify(b: Record<string, unknown>): VerifyInput {
	const result = String(b.result ?? '');
	if (!(VERIFY_RESULTS as readonly string[]).includes(result)) throw badParam('result', '请选择核查结果（result）：通过 pass / 不通过 fail');
	const note = typeof b.note === 'string' && b.note.trim() ? b.note.trim() : null;
	if (note && note.length > 500) throw badParam('note', '核查说明（note）不能超过 500 个字');
	if (result === 'fail' && !note) throw badParam('note', '核查不通过必须说明仍存在的问题（note）');
	const raw = b.beforePhotoId;
	let beforePhotoId: number | null = null;
	if (raw !== undefined && raw !== null && raw !== '') {
		beforePhotoId = Number(raw);
		if (!Number.isSafeInteger(beforePhotoId) || beforePhotoId <= 0) throw badParam('beforePhotoId', '整改前照片（beforePhotoId）必须是照片编号');
	}
	return { result: result as VerifyResult, note, beforePhotoId };
}

/** Why this verifier may not verify now, or null: the status, and never the one who resolved it. */
export function verifyProblem(status: RequestStatus, verifierId: number, resolverId: number | null): string | null {
	if (!VERIFY_STATUSES.includes(status)) return '只有已评价、未销号的诉求可以核查';
	if (resolverId !== null && verifierId === resolverId) return '核查人不能是办结人本人，请由另一人核查';
	return null;
}

/** Whether 销号 must wait: the category requires 核查 and this round has no passed one (the latest counts). */
export const closeBlocked = (required: boolean, latestThisRound: VerifyResult | null): boolean => required && latestThisRound !== 'pass';

/** 申诉 may be filed within this many days (24-hour days) after the contested 评单. */
export const APPEAL_DAYS = 7;
export type AppealStatus = 'pending' | 'upheld' | 'rejected';
export const APPEAL_STATUS_LABEL: Record<AppealStatus, string> = { pending: '待裁定', upheld: '支持', rejected: '驳回' };

/** Why the department may not appeal this evaluation, or null. */
export function appealProblem(ev: { satisfaction: string | null; at: Date } | null, now: Date, already: boolean): string | null {
	if (!ev) return '该诉求还没有评单，无从申诉';
	if (ev.satisfaction !== 'unsatisfied') return '只能对“不满意”的评单申诉';
	if (already) return '这次评单已经申诉过了';
	if (now.getTime() - ev.at.getTime() > APPEAL_DAYS * 86_400_000) return `申诉须在评单后 ${APPEAL_DAYS} 天内提出`;
	return null;
}

/** A decision: 支持 upheld or 驳回 rejected (驳回 needs a reason). */
export function parseAppealDecision(b: Record<string, unknown>): { decision: 'upheld' | 'rejected'; reason: string | null } {
	const decision = String(b.decision ?? '');
	if (decision !== 'upheld' && decision !== 'rejected') throw badParam('decision', '请选择裁定结果（decision）：支持 upheld / 驳回 rejected');
	const reason = typeof b.reason === 'string' && b.reason.trim() ? b.reason.trim() : null;
	if (reason && reason.length > 500) throw badParam('reason', '裁定理由（reason）不能超过 500 个字');
	if (decision === 'rejected' && !reason) throw badParam('reason', '驳回申诉必须说明理由（reason）');
	return { decision, reason };
}
