// Who is told of which move, the deadline window, the list's lines and the read request's parsing.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/lib/domain/apierror';
import { DEADLINE_NOTICE_STATUSES, MOVE_NOTICES, noticeOfMove, noticeText, parseReadRequest } from '../../src/lib/domain/notices';
import { ALL_ACTIONS, TRANSITIONS } from '../../src/lib/domain/workflow';

describe('notices of moves', () => {
	it('派单/改派 tell the department, 吹哨 the summoned, 退单 the command centre and the reporter, 返工 the department', () => {
		expect(noticeOfMove('dispatch')).toEqual({ kind: 'dispatched', audience: ['department'] });
		expect(noticeOfMove('redispatch')).toEqual({ kind: 'dispatched', audience: ['department'] });
		expect(noticeOfMove('escalate')).toEqual({ kind: 'whistle', audience: ['summoned'] });
		expect(noticeOfMove('return')).toEqual({ kind: 'returned', audience: ['command_centre', 'reporter'] });
		expect(noticeOfMove('reopen')).toEqual({ kind: 'reopened', audience: ['department'] });
	});
	it('the other moves tell nobody', () => {
		const silent = ALL_ACTIONS.filter((a) => !(a in MOVE_NOTICES));
		expect(silent.sort()).toEqual(['accept', 'checkin', 'close', 'evaluate', 'resolve']);
		for (const a of silent) expect(noticeOfMove(a)).toBeNull();
	});
	it('every move that notifies exists in the workflow', () => {
		const used = new Set(Object.values(TRANSITIONS).flatMap((t) => Object.keys(t)));
		for (const a of Object.keys(MOVE_NOTICES)) expect(used.has(a)).toBe(true);
	});
	it('deadlines warn the department while it must act, not while the request waits for 改派', () => {
		expect([...DEADLINE_NOTICE_STATUSES].sort()).toEqual(['accepted', 'dispatched', 'escalated', 'reopened']);
	});
	it('lines are Chinese and name the request', () => {
		expect(noticeText({ kind: 'dispatched', code: 'SQ1', title: '路灯坏了' })).toBe('新派单：SQ1 路灯坏了');
		expect(noticeText({ kind: 'deadline', stage: 'checkin', code: 'SQ1', title: '路灯坏了' })).toBe('报到时限 24 小时内到期：SQ1 路灯坏了');
	});
});

describe('parseReadRequest', () => {
	it('takes ids or all', () => {
		expect(parseReadRequest({ ids: [1, 2] })).toEqual([1, 2]);
		expect(parseReadRequest({ all: true })).toBe('all');
	});
	it('names the field it refuses', () => {
		for (const [body, field] of [[{}, 'ids'], [{ ids: [] }, 'ids'], [{ ids: ['1'] }, 'ids'], [{ ids: [0] }, 'ids'], [{ ids: [1.5] }, 'ids'], [{ all: 'yes' }, 'all']] as const) {
			let err: unknown;
			try {
				parseReadRequest(body as Record<string, unknown>);
			} catch (e) {
				err = e;
			}
			expect(err).toBeInstanceOf(ApiError);
			expect((err as ApiError).field).toBe(field);
			expect((err as ApiError).status).toBe(400);
		}
	});
});
