// 时限 and 超期 (domain.md, KPI section): deadlines belong to the request's current stage. 派单, every
// 改派 and every 返工 start a new accept deadline; 接单 starts a new resolve deadline, each from the
// rule in force at that moment (working days, Beijing time). Overdue is computed from the clock at
// read time, never stored. SQL takes these sets through src/lib/server/db/fragments.ts.
import { addWorkingDays } from './calendar';
import { OPEN_STATUSES, type RequestAction, type RequestStatus } from './workflow';

export interface DeadlineRule {
	/** 接单时限, working days (may be fractional: 0.5 = half a day) */
	acceptWorkingDays: number;
	/** 办结时限, working days */
	resolveWorkingDays: number;
	/** 吹哨报到时限, clock hours */
	whistleReportHours: number;
}

/** The moves that start a new accept deadline (接单时限): 派单, 改派, 返工. */
export const STARTS_ACCEPT_DEADLINE: readonly RequestAction[] = ['dispatch', 'redispatch', 'reopen'];
/** The move that starts a new resolve deadline (办结时限): 接单. */
export const STARTS_RESOLVE_DEADLINE: readonly RequestAction[] = ['accept'];

/** Waiting for 接单 (after 派单, 改派 or 返工, or sent back by 退单): the accept deadline runs. */
export const AWAITING_ACCEPT: readonly RequestStatus[] = ['dispatched', 'returned', 'reopened'];
/** Being worked on (接单, or 吹哨 while the departments 报到): the resolve deadline runs. */
export const IN_WORK: readonly RequestStatus[] = ['accepted', 'escalated'];

export const startsDeadline = (action: RequestAction) => STARTS_ACCEPT_DEADLINE.includes(action) || STARTS_RESOLVE_DEADLINE.includes(action);

/** The deadline `action` starts at `at` under `rule`, if it starts one. */
export function deadlineStartedBy(action: RequestAction, at: Date, rule: DeadlineRule, holidays: ReadonlySet<string> = new Set()):
	{ accept_deadline: Date } | { resolve_deadline: Date } | null {
	if (STARTS_ACCEPT_DEADLINE.includes(action)) return { accept_deadline: addWorkingDays(at, rule.acceptWorkingDays, holidays) };
	if (STARTS_RESOLVE_DEADLINE.includes(action)) return { resolve_deadline: addWorkingDays(at, rule.resolveWorkingDays, holidays) };
	return null;
}

export function whistleDeadline(whistledAt: Date, rule: DeadlineRule): Date {
	return new Date(whistledAt.getTime() + rule.whistleReportHours * 3600_000);
}

export interface DeadlineState {
	status: string;
	acceptDeadline: Date | null;
	resolveDeadline: Date | null;
}

/** The deadline of the stage the request is in: accept while waiting for 接单, resolve while worked on, else none. */
export function stageDeadline(r: DeadlineState): Date | null {
	if ((AWAITING_ACCEPT as readonly string[]).includes(r.status)) return r.acceptDeadline;
	if ((IN_WORK as readonly string[]).includes(r.status)) return r.resolveDeadline;
	return null;
}

/** 超期 at `now`: open, and past the deadline of its current stage. */
export function isOverdue(r: DeadlineState, now: Date): boolean {
	if (!(OPEN_STATUSES as readonly string[]).includes(r.status)) return false;
	const due = stageDeadline(r);
	return due !== null && due < now;
}

/** Hours until the current stage's deadline (negative = overdue); Infinity when none applies. */
export function hoursLeft(r: DeadlineState, now: Date): number {
	const due = (OPEN_STATUSES as readonly string[]).includes(r.status) ? stageDeadline(r) : null;
	return due ? (due.getTime() - now.getTime()) / 3600_000 : Infinity;
}

/** Validates a rule edit; returns the field and a Chinese message for the first problem. */
export function ruleProblem(rule: Partial<Record<keyof DeadlineRule, unknown>>): { field: string; message: string } | null {
	const days = (field: keyof DeadlineRule, label: string) => {
		const v = rule[field];
		if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 365 || Math.round(v * 10) !== v * 10) {
			return { field, message: `${label}必须是 0.1–365 之间的工作日数（最多一位小数），收到 ${JSON.stringify(v)}` };
		}
		return null;
	};
	const hours = rule.whistleReportHours;
	const bad = days('acceptWorkingDays', '接单时限') ?? days('resolveWorkingDays', '办结时限');
	if (bad) return bad;
	if (!Number.isInteger(hours) || (hours as number) < 1 || (hours as number) > 720) {
		return { field: 'whistleReportHours', message: `吹哨报到时限必须是 1–720 之间的整数小时，收到 ${JSON.stringify(hours)}` };
	}
	if ((rule.resolveWorkingDays as number) < (rule.acceptWorkingDays as number)) {
		return { field: 'resolveWorkingDays', message: '办结时限不能短于接单时限' };
	}
	return null;
}
