// 信访 (petitions) as a process: a case (a request of kind 'petition') has a 包案 leader who answers
// for it; leaders receive petitioners on set days (接访日); every contact with the petitioner is
// recorded (约访 an appointment, 下访 a visit to the petitioner's home, 回访 a follow-up after the
// outcome); a 息访协议 (the petitioner's agreement) ends it. The rules the pages, the API and the
// tests share; the database enforces the same ones (migration 0026).
import { badParam, enumParam } from './apierror';
import { isCalendarDate } from './calendardate';

/** 约访 / 下访 / 回访 */
export const PETITION_CONTACT_KINDS = ['appointment', 'home_visit', 'follow_up'] as const;
export type PetitionContactKind = (typeof PETITION_CONTACT_KINDS)[number];
export const PETITION_CONTACT_LABEL: Record<PetitionContactKind, string> = {
	appointment: '约访', home_visit: '下访', follow_up: '回访'
};

/** How far ahead the 接访日 calendar looks by default, in days (today included). */
export const RECEPTION_WINDOW_DAYS = 28;

/** A case untouched (no contact recorded) this many days while open is 待联系 on the leader's list. */
export const PETITION_CONTACT_DAYS = 30;

/** The roles that may work on a case besides its own 包案 leader (and mediator): 矛调 accounts and admins. */
export const PETITION_WORKER_ROLES = ['mediator', 'admin'] as const;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v == null ? '' : String(v).trim());

function date(raw: unknown, field: string, label: string): string {
	const s = text(raw);
	if (!isCalendarDate(s)) throw badParam(field, `${label}（${field}）应为 YYYY-MM-DD 格式的日期，收到“${s}”`);
	return s;
}

function time(raw: unknown, field: string, label: string): string {
	const s = text(raw);
	const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
	if (!m) throw badParam(field, `${label}（${field}）应为 HH:MM 格式的时间，收到“${s}”`);
	return s;
}

function bounded(raw: unknown, field: string, label: string, max: number, required: boolean): string | null {
	const s = text(raw);
	if (!s) {
		if (required) throw badParam(field, `请填写${label}（${field}）`);
		return null;
	}
	if ([...s].length > max) throw badParam(field, `${label}（${field}）最多 ${max} 个字，现有 ${[...s].length} 个`);
	return s;
}

/** Days between two calendar dates (b − a). */
export const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

export interface ContactInput { kind: PetitionContactKind; happenedOn: string; note: string }

/** A 约访/下访/回访 record from a form or JSON; not in the future (it happened), not before the case. */
export function parseContact(b: Record<string, unknown>, today: string, reportedOn: string): ContactInput {
	const kind = enumParam(text(b.kind) || null, 'kind', '联系方式', PETITION_CONTACT_KINDS);
	const happenedOn = date(b.happenedOn || today, 'happenedOn', '日期');
	if (happenedOn > today) throw badParam('happenedOn', `日期（happenedOn）不能晚于今天（${today}）：只记录已经发生的联系`);
	if (happenedOn < reportedOn) throw badParam('happenedOn', `日期（happenedOn）不能早于信访件登记日（${reportedOn}）`);
	return { kind, happenedOn, note: bounded(b.note, 'note', '情况记录', 500, true)! };
}

export interface ReceptionDayInput { leaderId: number; day: string; startsAt: string; endsAt: string; place: string; note: string | null }

/**
 * A 接访日 from a form or JSON; `self` is the signed-in user: a leader schedules themself, a mediator
 * or an admin names the leader. Past days cannot be scheduled.
 */
export function parseReceptionDay(b: Record<string, unknown>, self: { id: number; role: string }, today: string): ReceptionDayInput {
	let leaderId = self.id;
	if (self.role !== 'leader') {
		const raw = text(b.leaderId);
		if (!/^\d{1,9}$/.test(raw)) throw badParam('leaderId', '请选择接访领导（leaderId）');
		leaderId = Number(raw);
	}
	const day = date(b.day, 'day', '接访日期');
	if (day < today) throw badParam('day', `接访日期（day）不能早于今天（${today}）`);
	const startsAt = time(b.startsAt, 'startsAt', '开始时间');
	const endsAt = time(b.endsAt, 'endsAt', '结束时间');
	if (endsAt <= startsAt) throw badParam('endsAt', `结束时间（endsAt）应晚于开始时间 ${startsAt}`);
	return { leaderId, day, startsAt, endsAt, place: bounded(b.place, 'place', '接访地点', 100, true)!, note: bounded(b.note, 'note', '备注', 300, false) };
}

export interface AgreementInput { signedOn: string; terms: string }

/** A 息访协议 from a form or JSON: the day it was signed (not in the future) and what was agreed. */
export function parseAgreement(b: Record<string, unknown>, today: string): AgreementInput {
	const signedOn = date(b.signedOn || today, 'signedOn', '签订日期');
	if (signedOn > today) throw badParam('signedOn', `签订日期（signedOn）不能晚于今天（${today}）`);
	return { signedOn, terms: bounded(b.terms, 'terms', '协议内容', 1000, true)! };
}

/** 待联系: an open case with no contact for PETITION_CONTACT_DAYS days (since its registration when none). */
export function contactDue(lastContact: string | null, reportedOn: string, today: string, open: boolean): boolean {
	return open && daysBetween(lastContact ?? reportedOn, today) >= PETITION_CONTACT_DAYS;
}
