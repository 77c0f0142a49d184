// Notices kept until read (0018_notify.sql). Rows are written by the move that causes them (in its
// transaction: no notice without the move, no move without its notices) and, for deadlines, when
// the recipient's list is read. Who is told is src/lib/domain/notices.ts; reads run as the user,
// so row-level security shows each person only their own rows.
import { codes, sql } from '../db/sql';
import type { Queryable } from '../db/client';
import { stageDeadlineSql } from '../db/fragments';
import { AWAITING_ACCEPT } from '../../domain/deadlines';
import {
	DEADLINE_NOTICE_HOURS, DEADLINE_NOTICE_STATUSES, NOTICE_PAGE_MAX, noticeOfMove, noticeText,
	type DeadlineStage, type NoticeAudience, type NoticeKind
} from '../../domain/notices';
import type { RequestAction } from '../../domain/workflow';

export interface MoveNoticeInput {
	actorId: number;
	requestId: number;
	action: RequestAction;
	/** the request's department after the move */
	departmentId: number | null;
	/** 吹哨: the departments summoned */
	summoned?: readonly number[];
	/** 合并: the original */
	into?: number;
}

/** Writes the notices a move causes (none for most moves). */
export async function notifyMove(tx: Queryable, m: MoveNoticeInput): Promise<void> {
	const rule = noticeOfMove(m.action);
	if (rule) await notify(tx, { ...m, rule });
}

/** Writes one notice `rule` about a request to the audience it names (never to the actor). */
export async function notify(tx: Queryable, m: Omit<MoveNoticeInput, 'action'> & { rule: { kind: NoticeKind; audience: readonly NoticeAudience[] } }): Promise<void> {
	const rule = m.rule;
	const depts = [
		...(rule.audience.includes('department') && m.departmentId ? [m.departmentId] : []),
		...(rule.audience.includes('summoned') ? (m.summoned ?? []) : [])
	];
	const commandCentre = rule.audience.includes('command_centre');
	const reporter = rule.audience.includes('reporter');
	const originalReporter = rule.audience.includes('original_reporter') && m.into ? m.into : null;
	// no RETURNING: the rows are other people's, and row-level security lets the mover read none
	await tx.sql`
		INSERT INTO notifications (recipient_id, kind, request_id)
		SELECT u.id, ${rule.kind}::text, ${m.requestId}::bigint FROM users u
		WHERE u.active AND u.id <> ${m.actorId}::int AND (
			(u.role = 'department_staff' AND u.department_id = ANY(${depts}::int[]))
			OR (${commandCentre}::boolean AND u.role = 'admin')
			OR (${reporter}::boolean AND u.id = (SELECT created_by FROM requests WHERE id = ${m.requestId}))
			OR u.id = (SELECT created_by FROM requests WHERE id = ${originalReporter}::bigint))
		ORDER BY u.id`;
}

/**
 * Writes every deadline notice that is due, for all departments: each active staff member of a
 * request's department is told when its current stage deadline (stageDeadlineSql, the one
 * definition of 超期) falls within the next DEADLINE_NOTICE_HOURS, and of their department's 吹哨
 * summons due to 报到 within that time. The unique index keeps it to one row per person, request,
 * stage and deadline however often this runs, on however many app processes. Only department
 * staff get them: the deadlines of domain.md are the department's. Runs as the database owner
 * (the periodic job of deadlineJob.ts), not on anyone's read.
 */
export async function writeDueDeadlineNotices(db: Queryable, now: Date): Promise<number> {
	const until = new Date(now.getTime() + DEADLINE_NOTICE_HOURS * 3600_000);
	const due = stageDeadlineSql();
	const rows = await db.sql<{ id: number }>`
		WITH staff AS (SELECT id, department_id FROM users WHERE active AND role = 'department_staff' AND department_id IS NOT NULL)
		INSERT INTO notifications (recipient_id, kind, request_id, stage, due_at)
		SELECT u.id, 'deadline'::text, r.id, CASE WHEN r.status IN ${codes(AWAITING_ACCEPT)} THEN 'accept'::text ELSE 'resolve'::text END, ${due}
		  FROM requests r JOIN staff u ON u.department_id = r.department_id
		 WHERE r.status IN ${codes(DEADLINE_NOTICE_STATUSES)}
		   AND ${due} > ${now}::timestamptz AND ${due} <= ${until}::timestamptz
		UNION ALL
		SELECT u.id, 'deadline'::text, s.request_id, 'checkin'::text, s.deadline
		  FROM whistle_summons s JOIN requests r ON r.id = s.request_id JOIN staff u ON u.department_id = s.department_id
		 WHERE s.checked_in_at IS NULL AND r.status = 'escalated'
		   AND s.deadline > ${now}::timestamptz AND s.deadline <= ${until}::timestamptz
		ON CONFLICT (recipient_id, request_id, stage, due_at) DO NOTHING
		RETURNING id`;
	return rows.length;
}

export interface Notice {
	id: number;
	kind: NoticeKind;
	requestId: number;
	/** null when the request is no longer the viewer's to see (e.g. 改派 elsewhere since) */
	code: string | null;
	title: string | null;
	stage: DeadlineStage | null;
	dueAt: string | null;
	createdAt: string;
	readAt: string | null;
	/** the line shown in the list (Chinese) */
	text: string;
}

export interface NoticePage {
	items: Notice[];
	unread: number;
	/** pass as ?before= for the next (older) page; null at the end */
	nextBefore: number | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The viewer's notices, newest first, `limit` per page below id `before`, with the unread count. */
export async function listNotices(db: Queryable, userId: number, o: { limit?: number; before?: number | null; unreadOnly?: boolean } = {}): Promise<NoticePage> {
	const limit = Math.min(NOTICE_PAGE_MAX, Math.max(1, o.limit ?? 20));
	const rows = await db.sql<{
		id: number; kind: NoticeKind; request_id: number; code: string | null; title: string | null; stage: DeadlineStage | null;
		due_at: Date | null; created_at: Date; read_at: Date | null;
	}>`
		SELECT n.id, n.kind, n.request_id, r.code, r.title, n.stage, n.due_at, n.created_at, n.read_at
		  FROM notifications n LEFT JOIN requests r ON r.id = n.request_id
		 WHERE n.recipient_id = ${userId} ${o.before ? sql`AND n.id < ${o.before}` : sql``}
		       ${o.unreadOnly ? sql`AND n.read_at IS NULL` : sql``}
		 ORDER BY n.id DESC LIMIT ${limit + 1}`;
	const items = rows.slice(0, limit).map((r) => ({
		id: Number(r.id), kind: r.kind, requestId: Number(r.request_id), code: r.code, title: r.title, stage: r.stage,
		dueAt: iso(r.due_at), createdAt: iso(r.created_at)!, readAt: iso(r.read_at),
		text: noticeText({ kind: r.kind, stage: r.stage, code: r.code ?? `#${r.request_id}`, title: r.title ?? '（已无权查看）' })
	}));
	return { items, unread: await unreadCount(db, userId), nextBefore: rows.length > limit ? items[items.length - 1].id : null };
}

export async function unreadCount(db: Queryable, userId: number): Promise<number> {
	const [r] = await db.sql<{ n: number }>`SELECT count(*) AS n FROM notifications WHERE recipient_id = ${userId} AND read_at IS NULL`;
	return Number(r.n);
}

/** Marks the viewer's notices read (the given ids, or all); returns how many changed. */
export async function markRead(db: Queryable, userId: number, which: readonly number[] | 'all', now = new Date()): Promise<number> {
	const rows = await db.sql<{ id: number }>`
		UPDATE notifications SET read_at = ${now}
		 WHERE recipient_id = ${userId} AND read_at IS NULL ${which === 'all' ? sql`` : sql`AND id = ANY(${[...which]}::bigint[])`}
		RETURNING id`;
	return rows.length;
}
