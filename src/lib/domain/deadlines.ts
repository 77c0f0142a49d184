// 时限 and 超期: deadlines are set at 派单 from the category's rule (working days, CST), and
// overdue is always computed from the clock at read time, never stored.
import { addWorkingDays } from './calendar';
import { OPEN_STATUSES } from './workflow';

export interface DeadlineRule {
	/** 接单时限, working days (may be fractional: 0.5 = half a day) */
	acceptWorkingDays: number;
	/** 办结时限, working days */
	resolveWorkingDays: number;
	/** 吹哨报到时限, clock hours */
	whistleReportHours: number;
}

export function deadlinesFrom(dispatchedAt: Date, rule: DeadlineRule, holidays: ReadonlySet<string> = new Set()) {
	return {
		accept: addWorkingDays(dispatchedAt, rule.acceptWorkingDays, holidays),
		resolve: addWorkingDays(dispatchedAt, rule.resolveWorkingDays, holidays)
	};
}

export function whistleDeadline(whistledAt: Date, rule: DeadlineRule): Date {
	return new Date(whistledAt.getTime() + rule.whistleReportHours * 3600_000);
}

export interface DeadlineState {
	status: string;
	acceptDeadline: Date | null;
	resolveDeadline: Date | null;
}

const OPEN = new Set<string>(OPEN_STATUSES);
const AWAITING_ACCEPT = new Set(['dispatched', 'reopened']);

/** 超期: open past the resolve deadline, or waiting for 接单 past the accept deadline. */
export function isOverdue(r: DeadlineState, now: Date): boolean {
	if (!OPEN.has(r.status)) return false;
	if (r.resolveDeadline && r.resolveDeadline < now) return true;
	return AWAITING_ACCEPT.has(r.status) && r.acceptDeadline !== null && r.acceptDeadline < now;
}

/** Hours until the nearest pending deadline (negative = overdue); Infinity when none applies. */
export function hoursLeft(r: DeadlineState, now: Date): number {
	if (!OPEN.has(r.status)) return Infinity;
	const due = AWAITING_ACCEPT.has(r.status) && r.acceptDeadline ? r.acceptDeadline : r.resolveDeadline;
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
