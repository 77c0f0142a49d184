// Each role's workspace: what is waiting for me, most urgent first.
import { parseRequestFilter } from '../../domain/requestfilter';
import type { SessionUser } from '../auth/user';
import type { Queryable } from '../db/client';
import { householdsInGrids } from './households';
import { listRequests } from './list';
import { sql } from '../db/sql';
import { hazardQueue } from '../hazards/list';
import { myDecisions } from '../visits/decisions';
import { careList } from '../care/list';
import { mySupervisions } from './cases';
import { pendingAppeals } from './verification';

/** care households shown at once on a phone; the rest are counted (显示最紧急的 N 件，共 M 件) */
const CARE_ROWS = 10;

/** How many pending 延期 the to-do list shows (the oldest); `total` says how many there are in all. */
export const PENDING_EXTENSIONS_SHOWN = 100;

/** 延期待审批: the departments' pending 延期 requests, for the command centre to decide, oldest first. */
export function pendingExtensions(db: Queryable) {
	return db.sql<{ id: number; code: string; title: string; department: string | null; days: number; reason: string; requested_at: Date; total: number }>`
		SELECT r.id, r.code, r.title, d.name AS department, x.days, x.reason, x.requested_at, count(*) OVER ()::int AS total
		FROM request_extensions x JOIN requests r ON r.id = x.request_id LEFT JOIN departments d ON d.id = x.department_id
		WHERE x.status = 'pending' ORDER BY x.requested_at LIMIT ${PENDING_EXTENSIONS_SHOWN}`;
}

const open = () => parseRequestFilter(new URLSearchParams('status=open&limit=200'));

export async function pendingWhistles(db: Queryable, departmentId: number) {
	return db.sql<{ id: number; code: string; title: string; deadline: Date; overdue: boolean; version: number }>`
		SELECT r.id, r.code, r.title, s.deadline, s.deadline < now() AS overdue, r.version
		FROM whistle_summons s JOIN requests r ON r.id = s.request_id
		WHERE s.department_id = ${departmentId} AND s.checked_in_at IS NULL AND r.status = 'escalated'
		ORDER BY s.deadline LIMIT 200`;
}

export async function workspace(db: Queryable, user: SessionUser, visitDays: number) {
	switch (user.role) {
		case 'grid_manager': {
			const grids = (await db.sql<{ grid_code: string }>`SELECT grid_code FROM user_grids WHERE user_id = ${user.id} ORDER BY 1`).map((g) => g.grid_code);
			const queue = await listRequests(db, open(), grids);
			const toClose = await listRequests(db, { ...open(), open: false, statuses: ['resolved', 'evaluated'] }, grids);
			return { kind: 'grid' as const, grids, queue, toClose, households: await householdsInGrids(db, grids, visitDays), hazards: await hazardQueue(db, 'grid', { grids }),
				// 关爱对象 due and overdue in the worker's grids
				care: await careList(db, { grids }, { limit: CARE_ROWS }) };
		}
		case 'department_staff': {
			const dept = user.departmentId ?? -1;
			const queue = await listRequests(db, { ...open(), department: dept }, null);
			return { kind: 'department' as const, queue, whistles: await pendingWhistles(db, dept), hazards: await hazardQueue(db, 'department', { departmentId: dept }), decisions: await myDecisions(db, user) };
		}
		case 'leader':
		case 'mediator': {
			const col = user.role === 'leader' ? sql`r.leader_id` : sql`r.mediator_id`;
			const queue = await listRequests(db, open(), null, undefined, sql`${col} = ${user.id}`);
			// a supervisor of a street or a community sees the care households due in their area; the
			// district's ~25 000 (2–3 s on PGlite) belong on /kpi, not on every opening of a workspace
			const supervises = user.role === 'leader' && (user.jurisdiction?.length ?? 0) >= 9;
			const care = supervises ? await careList(db, { prefix: user.jurisdiction! }, { limit: CARE_ROWS }) : null;
			const leader = user.role === 'leader';
			return { kind: user.role, queue, decisions: leader ? await myDecisions(db, user) : [], supervised: leader ? await mySupervisions(db, user.id) : [], care };
		}
		default: {
			const f = { ...open(), open: false, statuses: ['reported', 'returned'] as ('reported' | 'returned')[] };
			return {
				kind: 'dispatch' as const, queue: await listRequests(db, f, null), extensions: await pendingExtensions(db), appeals: await pendingAppeals(db), supervised: await mySupervisions(db, user.id), overdue: await listRequests(db, { ...open(), overdue: true, limit: 50 }, null),
				// 隐患 waiting for 交办
				hazards: await hazardQueue(db, 'unassigned', {})
			};
		}
	}
}
