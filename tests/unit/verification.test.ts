// 核查 and 申诉 rules (domain/verification.ts), the 销号/返工 guards they add to the loop, and the
// KPI rule of an upheld 申诉.
import { describe, expect, it } from 'vitest';
import {
	appealProblem, APPEAL_DAYS, closeBlocked, mayVerify, parseAppealDecision, parseVerify, verifyProblem, verifyRequiredByDefault
} from '../../src/lib/domain/verification';
import { checkTransition } from '../../src/lib/domain/workflow';
import { APPEAL_SETS_ASIDE, evaluationCounts } from '../../src/lib/domain/kpi';

const CTX = { pendingWhistles: 0, satisfaction: 'satisfied' as const, solved: true };

describe('核查', () => {
	it('is required by default where the result is visible on site', () => {
		expect(verifyRequiredByDefault('environment.garbage', 'environment')).toBe(true);
		expect(verifyRequiredByDefault('municipal.road', 'municipal')).toBe(true);
		expect(verifyRequiredByDefault('safety.gas', 'safety')).toBe(true);
		expect(verifyRequiredByDefault('property.elevator', 'property')).toBe(true);
		expect(verifyRequiredByDefault('property.service', 'property')).toBe(false);
		expect(verifyRequiredByDefault('dispute.neighbour', 'dispute')).toBe(false);
		expect(verifyRequiredByDefault('wish.help', 'wish')).toBe(false);
	});

	it('blocks 销号 until this round passed, and lets a failed one 返工', () => {
		expect(checkTransition('evaluated', 'close', { ...CTX, verifyRequired: true, verification: null })).toMatchObject({ ok: false, code: 'guard' });
		expect(checkTransition('evaluated', 'close', { ...CTX, verifyRequired: true, verification: 'fail' })).toMatchObject({ ok: false, code: 'guard' });
		expect(checkTransition('evaluated', 'close', { ...CTX, verifyRequired: true, verification: 'pass' })).toEqual({ ok: true, to: 'closed' });
		expect(checkTransition('evaluated', 'close', { ...CTX, verifyRequired: false })).toEqual({ ok: true, to: 'closed' });
		expect(checkTransition('evaluated', 'reopen', CTX)).toMatchObject({ ok: false, code: 'guard' });
		expect(checkTransition('evaluated', 'reopen', { ...CTX, verification: 'fail' })).toEqual({ ok: true, to: 'reopened' });
		expect(closeBlocked(true, null)).toBe(true);
		expect(closeBlocked(true, 'pass')).toBe(false);
		expect(closeBlocked(false, null)).toBe(false);
	});

	it('is made after 评单 by someone other than the resolver, with authority over the request', () => {
		expect(verifyProblem('evaluated', 2, 1)).toBeNull();
		expect(verifyProblem('evaluated', 1, 1)).toMatch(/办结人/);
		expect(verifyProblem('resolved', 2, 1)).toMatch(/已评价/);
		expect(verifyProblem('closed', 2, 1)).toMatch(/已评价/);
		const a = { gridManagerIds: [10], leaderId: 20 };
		expect(mayVerify({ id: 10, role: 'grid_manager' }, a)).toBe(true);
		expect(mayVerify({ id: 11, role: 'grid_manager' }, a)).toBe(false);
		expect(mayVerify({ id: 20, role: 'leader' }, a)).toBe(true);
		expect(mayVerify({ id: 1, role: 'admin' }, a)).toBe(true);
		expect(mayVerify({ id: 5, role: 'department_staff' }, a)).toBe(false);
	});

	it('parses the form naming the field', () => {
		expect(parseVerify({ result: 'pass' })).toEqual({ result: 'pass', note: null, beforePhotoId: null });
		expect(() => parseVerify({ result: 'ok' })).toThrow(expect.objectContaining({ field: 'result' }));
		expect(() => parseVerify({ result: 'fail', note: ' ' })).toThrow(expect.objectContaining({ field: 'note' }));
		expect(() => parseVerify({ result: 'pass', beforePhotoId: 'x' })).toThrow(expect.objectContaining({ field: 'beforePhotoId' }));
		expect(parseVerify({ result: 'fail', note: '仍有积水', beforePhotoId: '7' })).toEqual({ result: 'fail', note: '仍有积水', beforePhotoId: 7 });
	});
});

describe('申诉', () => {
	const at = new Date('2025-06-02T02:00:00Z');
	it('only against the latest unsatisfied 评单, once, within APPEAL_DAYS', () => {
		expect(appealProblem({ satisfaction: 'unsatisfied', at }, at, false)).toBeNull();
		expect(appealProblem(null, at, false)).toMatch(/还没有评单/);
		expect(appealProblem({ satisfaction: 'basic', at }, at, false)).toMatch(/不满意/);
		expect(appealProblem({ satisfaction: 'unsatisfied', at }, at, true)).toMatch(/已经申诉/);
		const late = new Date(at.getTime() + APPEAL_DAYS * 86_400_000 + 1);
		expect(appealProblem({ satisfaction: 'unsatisfied', at }, late, false)).toMatch(`${APPEAL_DAYS} 天`);
	});
	it('is decided 支持 or 驳回 (with a reason)', () => {
		expect(parseAppealDecision({ decision: 'upheld' })).toEqual({ decision: 'upheld', reason: null });
		expect(() => parseAppealDecision({ decision: 'rejected' })).toThrow(expect.objectContaining({ field: 'reason' }));
		expect(() => parseAppealDecision({ decision: 'maybe' })).toThrow(expect.objectContaining({ field: 'decision' }));
	});
	it('an upheld one sets the evaluation aside for the satisfaction KPIs', () => {
		expect(APPEAL_SETS_ASIDE).toEqual(['satisfaction_rate', 'solved_rate', 'final_satisfaction_rate']);
		expect(evaluationCounts('upheld')).toBe(false);
		expect(evaluationCounts('rejected')).toBe(true);
		expect(evaluationCounts('pending')).toBe(true);
		expect(evaluationCounts(null)).toBe(true);
	});
});
