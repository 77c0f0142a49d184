// 信访 run as a process: the 包案 leader's cases with their last contact and 息访 state, the 接访日
// calendar, and the records made on a case (约访/下访/回访, 息访协议). Who may write is decided by
// the database (migration 0026: app_works_petition and the RLS policies); a refusal arrives as an
// RLS violation and is turned into a Chinese 403 here.
import { ApiError, notFound } from '../../domain/apierror';
import { PETITION_KIND } from '../../domain/kpi';
import {
	contactDue, PETITION_CONTACT_DAYS, RECEPTION_WINDOW_DAYS, type AgreementInput, type ContactInput, type PetitionContactKind, type ReceptionDayInput
} from '../../domain/petition';
import { localDate } from '../../domain/time';
import { OPEN_STATUSES, type RequestStatus } from '../../domain/workflow';
import type { Queryable } from '../db/client';
import { NOW, overdueSql } from '../db/fragments';
import { fromDatabaseError } from '../http/errors';

export interface PetitionCase {
	id: number; code: string; title: string; status: RequestStatus; grid_code: string;
	leader_id: number | null; leader: string | null; reported_on: string; deadline: string | null; overdue: boolean;
	contacts: number; last_contact: string | null; agreement_on: string | null;
	/** 待联系: open, and no contact for PETITION_CONTACT_DAYS days */
	contact_due: boolean;
}

export interface CaseFilter {
	/** one leader's 包案 cases, or everyone's (null) */
	leaderId: number | null;
	/** open cases only (the default list), or every case */
	openOnly: boolean;
	page: number;
	pageSize: number;
}

/** A page of petition cases the user may read (requests RLS), overdue and 待联系 first, and the total. */
export async function petitionCases(db: Queryable, f: CaseFilter, now = new Date()): Promise<{ rows: PetitionCase[]; total: number }> {
	const rows = await db.sql<Omit<PetitionCase, 'contact_due'> & { total: number }>`
		SELECT r.id, r.code, r.title, r.status, r.grid_code, r.leader_id, u.display_name AS leader,
		  to_char(r.reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS reported_on,
		  to_char(r.resolve_deadline AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS deadline,
		  ${overdueSql(NOW)} AS overdue,
		  (SELECT count(*)::int FROM petition_contacts c WHERE c.request_id = r.id) AS contacts,
		  (SELECT to_char(max(c.happened_on), 'YYYY-MM-DD') FROM petition_contacts c WHERE c.request_id = r.id) AS last_contact,
		  (SELECT to_char(a.signed_on, 'YYYY-MM-DD') FROM petition_agreements a WHERE a.request_id = r.id) AS agreement_on,
		  count(*) OVER ()::int AS total
		FROM requests r LEFT JOIN users u ON u.id = r.leader_id
		WHERE r.kind = ${PETITION_KIND}
		  AND (${f.leaderId}::int IS NULL OR r.leader_id = ${f.leaderId}::int)
		  AND (NOT ${f.openOnly} OR r.status = ANY(${[...OPEN_STATUSES]}))
		ORDER BY ${overdueSql(NOW)} DESC, r.reported_at
		LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`;
	const today = localDate(now);
	return {
		total: rows[0]?.total ?? 0,
		rows: rows.map(({ total: _t, ...r }) => ({
			...r, contact_due: contactDue(r.last_contact, r.reported_on, today, OPEN_STATUSES.includes(r.status))
		}))
	};
}

/** Counts for the leader's (or everyone's) cases by state: 办理中, of which 超期 and 待联系, and 已息访. */
export async function petitionCounts(db: Queryable, leaderId: number | null, now = new Date()) {
	const today = localDate(now);
	const [c] = await db.sql<{ open: number; overdue: number; uncontacted: number; agreed: number; total: number }>`
		SELECT count(*) FILTER (WHERE r.status = ANY(${[...OPEN_STATUSES]}))::int AS open,
		  count(*) FILTER (WHERE ${overdueSql(NOW)})::int AS overdue,
		  count(*) FILTER (WHERE r.status = ANY(${[...OPEN_STATUSES]}) AND coalesce(
		    (SELECT max(c.happened_on) FROM petition_contacts c WHERE c.request_id = r.id),
		    (r.reported_at AT TIME ZONE 'Asia/Shanghai')::date) <= ${today}::date - ${PETITION_CONTACT_DAYS}::int)::int AS uncontacted,
		  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM petition_agreements a WHERE a.request_id = r.id))::int AS agreed,
		  count(*)::int AS total
		FROM requests r WHERE r.kind = ${PETITION_KIND} AND (${leaderId}::int IS NULL OR r.leader_id = ${leaderId}::int)`;
	return c;
}

export interface ReceptionDay {
	id: number; leader_id: number; leader: string; title: string | null; day: string; starts_at: string; ends_at: string;
	place: string; note: string | null;
}

/** The 接访日 from `from` for RECEPTION_WINDOW_DAYS days (not cancelled), by day and time. */
export function receptionDays(db: Queryable, from: string, days = RECEPTION_WINDOW_DAYS): Promise<ReceptionDay[]> {
	return db.sql<ReceptionDay>`
		SELECT d.id, d.leader_id, u.display_name AS leader, u.title, to_char(d.day, 'YYYY-MM-DD') AS day,
		  to_char(d.starts_at, 'HH24:MI') AS starts_at, to_char(d.ends_at, 'HH24:MI') AS ends_at, d.place, d.note
		FROM petition_reception_days d JOIN users u ON u.id = d.leader_id
		WHERE NOT d.cancelled AND d.day >= ${from}::date AND d.day < ${from}::date + ${days}::int
		ORDER BY d.day, d.starts_at, d.leader_id`;
}

/** The leaders who receive petitioners (a mediator or an admin schedules any of them). */
export function receivingLeaders(db: Queryable) {
	return db.sql<{ id: number; name: string; title: string | null }>`
		SELECT id, display_name AS name, title FROM users WHERE role = 'leader' AND active ORDER BY id`;
}

const refused = (message: string) => new ApiError(403, 'forbidden', message);
const isRlsRefusal = (e: unknown) => (e as { code?: string })?.code === '42501';
const isDuplicate = (e: unknown) => (e as { code?: string })?.code === '23505';

export async function addReceptionDay(db: Queryable, userId: number, d: ReceptionDayInput): Promise<number> {
	const [leader] = await db.sql<{ id: number }>`SELECT id FROM users WHERE id = ${d.leaderId} AND role = 'leader' AND active`;
	if (!leader) throw notFound(`接访领导 ${d.leaderId} 不存在或不是在职领导`, 'leaderId');
	try {
		const [row] = await db.sql<{ id: number }>`
			INSERT INTO petition_reception_days (leader_id, day, starts_at, ends_at, place, note, created_by)
			VALUES (${d.leaderId}, ${d.day}::date, ${d.startsAt}::time, ${d.endsAt}::time, ${d.place}, ${d.note}, ${userId}) RETURNING id`;
		return row.id;
	} catch (e) {
		if (isRlsRefusal(e)) throw refused('只有领导本人、矛调人员和管理员可以安排接访日');
		if (isDuplicate(e)) throw new ApiError(409, 'conflict', `这位领导 ${d.day} ${d.startsAt} 已有接访安排`);
		throw e;
	}
}

export async function cancelReceptionDay(db: Queryable, id: number): Promise<void> {
	const rows = await db.sql`UPDATE petition_reception_days SET cancelled = true WHERE id = ${id} AND NOT cancelled RETURNING id`.catch((e) => {
		if (isRlsRefusal(e)) throw refused('只有领导本人、矛调人员和管理员可以取消接访日');
		throw e;
	});
	if (!rows.length) throw notFound(`接访安排 ${id} 不存在、已取消，或你无权取消`, 'id');
}

export interface ContactRow { id: number; kind: PetitionContactKind; happened_on: string; note: string; user_name: string; created_at: string }
export interface AgreementRow { signed_on: string; terms: string; user_name: string }

/** The case's contacts (oldest first) and its 息访协议, if signed. */
export async function caseRecords(db: Queryable, requestId: number): Promise<{ contacts: ContactRow[]; agreement: AgreementRow | null }> {
	const [contacts, agreements] = await Promise.all([
		db.sql<ContactRow>`
			SELECT c.id, c.kind, to_char(c.happened_on, 'YYYY-MM-DD') AS happened_on, c.note, u.display_name AS user_name,
			  to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS created_at
			FROM petition_contacts c JOIN users u ON u.id = c.user_id WHERE c.request_id = ${requestId} ORDER BY c.happened_on, c.id`,
		db.sql<AgreementRow>`
			SELECT to_char(a.signed_on, 'YYYY-MM-DD') AS signed_on, a.terms, u.display_name AS user_name
			FROM petition_agreements a JOIN users u ON u.id = a.user_id WHERE a.request_id = ${requestId}`
	]);
	return { contacts, agreement: agreements[0] ?? null };
}

/** May `user` write on this case (what the database's app_works_petition decides), for the page's forms. */
export async function worksPetition(db: Queryable, requestId: number): Promise<boolean> {
	const [r] = await db.sql<{ ok: boolean }>`SELECT app_works_petition(${requestId}) AS ok`;
	return r?.ok === true;
}

async function petitionCase(db: Queryable, requestId: number) {
	const [r] = await db.sql<{ id: number; reported_on: string }>`
		SELECT id, to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS reported_on
		FROM requests WHERE id = ${requestId} AND kind = ${PETITION_KIND}`;
	if (!r) throw notFound(`信访件 ${requestId} 不存在或不在你的范围内`, 'id');
	return r;
}

/** The day the case was registered (Beijing), which a contact may not precede. */
export const caseReportedOn = async (db: Queryable, requestId: number) => (await petitionCase(db, requestId)).reported_on;

export async function addContact(db: Queryable, userId: number, requestId: number, c: ContactInput): Promise<number> {
	await petitionCase(db, requestId);
	try {
		const [row] = await db.sql<{ id: number }>`
			INSERT INTO petition_contacts (request_id, kind, happened_on, note, user_id)
			VALUES (${requestId}, ${c.kind}, ${c.happenedOn}::date, ${c.note}, ${userId}) RETURNING id`;
		return row.id;
	} catch (e) {
		if (isRlsRefusal(e)) throw refused('只有包案领导、矛调人员和管理员可以记录约访、下访和回访');
		throw e;
	}
}

export async function signAgreement(db: Queryable, userId: number, requestId: number, a: AgreementInput): Promise<void> {
	await petitionCase(db, requestId);
	try {
		await db.sql`
			INSERT INTO petition_agreements (request_id, signed_on, terms, user_id)
			VALUES (${requestId}, ${a.signedOn}::date, ${a.terms}, ${userId})`;
	} catch (e) {
		if (isRlsRefusal(e)) throw refused('只有包案领导、矛调人员和管理员可以记录息访协议');
		if (isDuplicate(e)) throw new ApiError(409, 'conflict', '这件信访件已签订息访协议');
		throw fromDatabaseError(e) ?? e;
	}
}
