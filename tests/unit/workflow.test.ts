// The state machine as a table: every (status, action) pair, its messages, its guards, and the
// copy of the table that migration 0003 puts in the database.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_ACTIONS, ALL_STATUSES, authorityProblem, checkTransition, TRANSITIONS, type Assignment } from '../../src/lib/domain/workflow';
import { deadlineStartedBy, hoursLeft, isOverdue, ruleProblem, startsDeadline } from '../../src/lib/domain/deadlines';

const CTX = { pendingWhistles: 0, satisfaction: 'unsatisfied' as const, solved: false };

describe('workflow', () => {
	it('allows exactly the moves in TRANSITIONS and names state and allowed moves otherwise', () => {
		let legal = 0;
		for (const from of ALL_STATUSES) {
			for (const action of ALL_ACTIONS) {
				const r = checkTransition(from, action, CTX);
				const to = TRANSITIONS[from][action];
				if (to) {
					legal++;
					expect(r).toEqual({ ok: true, to });
				} else {
					expect(r.ok).toBe(false);
					if (!r.ok) expect(r.message).toMatch(new RegExp(`当前状态.+（${from}）不能.+允许的操作：`));
				}
			}
		}
		expect(legal).toBe(18);
	});

	it('spells out the moves allowed from a state', () => {
		const r = checkTransition('dispatched', 'close', CTX);
		expect(r).toEqual({ ok: false, code: 'illegal_transition', message: '当前状态已派单（dispatched）不能销号（close）。允许的操作：接单（accept）、退单（return）' });
		expect(checkTransition('closed', 'reopen', CTX)).toMatchObject({ message: expect.stringContaining('允许的操作：无（已结束）') });
		expect(checkTransition('accepted', 'fly', CTX)).toMatchObject({ ok: false, message: expect.stringContaining('未知操作“fly”') });
	});

	it('guards the joint resolution and 返工', () => {
		expect(checkTransition('escalated', 'resolve', { ...CTX, pendingWhistles: 2 })).toMatchObject({ ok: false, code: 'guard', message: expect.stringContaining('2 个部门未报到') });
		expect(checkTransition('escalated', 'resolve', CTX)).toEqual({ ok: true, to: 'resolved' });
		expect(checkTransition('evaluated', 'reopen', { ...CTX, satisfaction: 'satisfied', solved: true })).toMatchObject({ ok: false, code: 'guard' });
		expect(checkTransition('evaluated', 'reopen', { ...CTX, satisfaction: 'basic', solved: false })).toEqual({ ok: true, to: 'reopened' });
	});

	it('matches the table that migrations 0003 and 0026 write into request_transitions', () => {
		// the rows of each migration's INSERT INTO request_transitions statement
		const sql = ['0003_request_loop', '0030_cases'].map((m) => readFileSync(`db/migrations/${m}.sql`, 'utf8'))
			.map((text) => text.slice(text.indexOf('INSERT INTO request_transitions')).split(';')[0]).join('\n');
		const rows = [...sql.matchAll(/\('(\w+)',\s+'(\w+)',\s+'(\w+)'\)/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`).sort();
		const table = ALL_STATUSES.flatMap((from) => Object.entries(TRANSITIONS[from]).map(([a, to]) => `${from} ${a} ${to}`)).sort();
		expect(rows).toEqual(table);
	});

	it('knows who may press which button', () => {
		const a: Assignment = { departmentId: 2, gridManagerIds: [10], leaderId: 20, mediatorId: 30, whistledDepartmentIds: [3] };
		expect(authorityProblem('accept', { id: 1, role: 'department_staff', departmentId: 2 }, a)).toBeNull();
		expect(authorityProblem('accept', { id: 1, role: 'department_staff', departmentId: 3 }, a)).toMatch(/无权/);
		expect(authorityProblem('checkin', { id: 1, role: 'department_staff', departmentId: 3 }, a)).toBeNull();
		expect(authorityProblem('dispatch', { id: 10, role: 'grid_manager', departmentId: null }, a)).toMatch(/派单/);
		expect(authorityProblem('close', { id: 10, role: 'grid_manager', departmentId: null }, a)).toBeNull();
		expect(authorityProblem('accept', { id: 30, role: 'mediator', departmentId: null }, a)).toBeNull();
		expect(authorityProblem('resolve', { id: 20, role: 'leader', departmentId: null }, a)).toBeNull();
		expect(authorityProblem('close', { id: 99, role: 'admin', departmentId: null }, a)).toBeNull();
	});
});

describe('deadlines', () => {
	const now = new Date('2025-06-10T00:00:00Z');
	const d = (s: string) => new Date(s);
	it('computes overdue from the clock', () => {
		expect(isOverdue({ status: 'accepted', acceptDeadline: null, resolveDeadline: d('2025-06-09T00:00:00Z') }, now)).toBe(true);
		expect(isOverdue({ status: 'resolved', acceptDeadline: null, resolveDeadline: d('2025-06-09T00:00:00Z') }, now)).toBe(false);
		expect(isOverdue({ status: 'dispatched', acceptDeadline: d('2025-06-09T12:00:00Z'), resolveDeadline: d('2025-06-20T00:00:00Z') }, now)).toBe(true);
		expect(hoursLeft({ status: 'accepted', acceptDeadline: null, resolveDeadline: d('2025-06-10T06:00:00Z') }, now)).toBe(6);
	});
	it('counts only the deadline of the current stage (domain.md: deadlines belong to the stage)', () => {
		const past = d('2025-06-09T00:00:00Z');
		const ahead = d('2025-06-12T00:00:00Z');
		// waiting for 接单 (also after 退单 and 返工): the accept deadline; an old resolve deadline does not count
		for (const status of ['dispatched', 'returned', 'reopened']) {
			expect(isOverdue({ status, acceptDeadline: ahead, resolveDeadline: past }, now)).toBe(false);
			expect(isOverdue({ status, acceptDeadline: past, resolveDeadline: ahead }, now)).toBe(true);
		}
		// accepted or 吹哨: the resolve deadline; the accept deadline is history
		for (const status of ['accepted', 'escalated']) {
			expect(isOverdue({ status, acceptDeadline: past, resolveDeadline: ahead }, now)).toBe(false);
			expect(isOverdue({ status, acceptDeadline: ahead, resolveDeadline: past }, now)).toBe(true);
		}
		// reported: no deadline runs yet; done: never overdue
		expect(isOverdue({ status: 'reported', acceptDeadline: past, resolveDeadline: past }, now)).toBe(false);
		expect(isOverdue({ status: 'evaluated', acceptDeadline: past, resolveDeadline: past }, now)).toBe(false);
		expect(hoursLeft({ status: 'reopened', acceptDeadline: d('2025-06-10T03:00:00Z'), resolveDeadline: past }, now)).toBe(3);
	});
	it('派单, 改派 and 返工 start an accept deadline, 接单 a resolve deadline, other moves none', () => {
		const rule = { acceptWorkingDays: 1, resolveWorkingDays: 7, whistleReportHours: 24 };
		const mon = d('2025-06-02T02:00:00Z'); // Monday 10:00 Beijing time
		for (const action of ['dispatch', 'redispatch', 'reopen'] as const) {
			expect(deadlineStartedBy(action, mon, rule)).toEqual({ accept_deadline: d('2025-06-03T02:00:00Z') });
		}
		expect(deadlineStartedBy('accept', mon, rule)).toEqual({ resolve_deadline: d('2025-06-11T02:00:00Z') });
		for (const action of ['return', 'escalate', 'checkin', 'resolve', 'evaluate', 'close'] as const) {
			expect(deadlineStartedBy(action, mon, rule)).toBeNull();
			expect(startsDeadline(action)).toBe(false);
		}
	});
	it('validates rule edits naming the field', () => {
		expect(ruleProblem({ acceptWorkingDays: 1, resolveWorkingDays: 7, whistleReportHours: 24 })).toBeNull();
		expect(ruleProblem({ acceptWorkingDays: 0, resolveWorkingDays: 7, whistleReportHours: 24 })?.field).toBe('acceptWorkingDays');
		expect(ruleProblem({ acceptWorkingDays: 2, resolveWorkingDays: 1, whistleReportHours: 24 })?.field).toBe('resolveWorkingDays');
		expect(ruleProblem({ acceptWorkingDays: 1, resolveWorkingDays: 7, whistleReportHours: 1.5 })?.field).toBe('whistleReportHours');
	});
});
