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
	type DeadlineStage, type NoticeKind
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
}

/** Writes the notices a move causes (none for most moves). */
export async function notifyMove(tx: Queryable, m: MoveNoticeInput): Promise<void> {
	const rule = noticeOfMove(m.action);
	if (!rule) return;
	const depts = [
		...(rule.audience.includes('department') && m.departmentId ? [m.departmentId] : []),
		...(rule.audience.includes('summoned') ? (m.summoned ?? []) : [])
	];
	const commandCentre = rule.audience.includes('command_centre');
	const reporter = rule.audience.includes('reporter');
	// no RETURNING: the rows are other people's, and row-level security lets the mover read none
	await tx.sql`
		INSERT INTO notifications (recipient_id, kind, request_id)
		SELECT u.id, ${rule.kind}::text, ${m.requestId}::bigint FROM users u
		WHERE u.active AND u.id <> ${m.actorId}::int AND (
			(u.role = 'department_staff' AND u.department_id = ANY(${depts}::int[]))
			OR (${commandCentre}::boolean AND u.role = 'admin')
			OR (${reporter}::boolean AND u.id = (SELECT created_by FROM requests WHERE id = ${m.requestId})))
		ORDER BY u.id`;
}

export interface NoticeViewer {
	id: number;
	role: string;
	departmentId: number | null;
}

/**
 * Writes the viewer's deadline notices that are due: their department's requests whose current
 * stage deadline (stageDeadlineSql, the one definition of 超期) falls within the next 24 hours, and
 * their department's 吹哨 summons due to 报到 within 24 hours. The unique index keeps it to one
 * row per request, stage and deadline however often this runs. Only department staff get them:
 * the deadlines of domain.md are the department's.
 */
export async function writeDueDeadlineNotices(db: Queryable, viewer: NoticeViewer, now: Date): Promise<number> {
	if (viewer.role !== 'department_staff' || viewer.departmentId === null) return 0;
	const until = new Date(now.getTime() + DEADLINE_NOTICE_HOURS * 3600_000);
	const due = stageDeadlineSql();
	const rows = await db.sql<{ id: number }>`
		INSERT INTO notifications (recipient_id, kind, request_id, stage, due_at)
		SELECT ${viewer.id}::int, 'deadline'::text, r.id, CASE WHEN r.status IN ${codes(AWAITING_ACCEPT)} THEN 'accept'::text ELSE 'resolve'::text END, ${due}
		  FROM requests r
		 WHERE r.department_id = ${viewer.departmentId} AND r.status IN ${codes(DEADLINE_NOTICE_STATUSES)}
		   AND ${due} > ${now}::timestamptz AND ${due} <= ${until}::timestamptz
		UNION ALL
		SELECT ${viewer.id}::int, 'deadline'::text, s.request_id, 'checkin'::text, s.deadline
		  FROM whistle_summons s JOIN requests r ON r.id = s.request_id
		 WHERE s.department_id = ${viewer.departmentId} AND s.checked_in_at IS NULL AND r.status = 'escalated'
		   AND s.deadline > ${now}::timestamptz AND s.deadline <= ${until}::timestamptz
		ON CONFLICT (recipient_id, request_id, stage, due_at) DO NOTHING
		RETURNING id`;
	return rows.length;
}

// The deadline scan runs at most once a minute per user and process: the list and the badge are
// read often (every live notice refreshes them), the deadlines move by the hour.
const lastScan = new Map<number, number>();
const SCAN_EVERY_MS = 60_000;

export async function writeDueDeadlineNoticesThrottled(db: Queryable, viewer: NoticeViewer, now = new Date()): Promise<void> {
	const last = lastScan.get(viewer.id) ?? 0;
	if (now.getTime() - last < SCAN_EVERY_MS) return;
	lastScan.set(viewer.id, now.getTime());
	if (lastScan.size > 10_000) lastScan.clear();
	await writeDueDeadlineNotices(db, viewer, now);
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
