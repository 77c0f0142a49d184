// 议定事项 as tasks (issue 19): a decision made on a visit has an owner — a person or a department —
// and a deadline; it shows in its owner's workspace until it is 落实 (done, with what was done), and
// is overdue while not done past its deadline (domain/visits.ts decisionOverdue).
import type { SessionUser } from '../auth/user';
import type { Database, Queryable } from '../db/client';
import { decisionOverdueSql } from '../db/fragments';

export interface DecisionTask {
	id: number; visit_id: number; visit_title: string; visit_date: string; leader: string; decision: string;
	due_date: string | null; overdue: boolean; follow_up_user: string | null; follow_up_department: string | null;
	done_at: string | null; done_by: string | null; done_note: string | null;
}

/** The decisions a user (or their department) follows up: the open ones first, overdue first; and those 落实 in the last 30 days. */
export function myDecisions(db: Queryable, user: SessionUser): Promise<DecisionTask[]> {
	return db.sql<DecisionTask>`
		SELECT d.id, d.visit_id, v.title AS visit_title, to_char(v.planned_date, 'YYYY-MM-DD') AS visit_date, lu.display_name AS leader,
		  d.decision, to_char(d.due_date, 'YYYY-MM-DD') AS due_date, ${decisionOverdueSql()} AS overdue,
		  u.display_name AS follow_up_user, dep.name AS follow_up_department,
		  to_char(d.done_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS done_at, du.display_name AS done_by, d.done_note
		FROM visit_decisions d JOIN visits v ON v.id = d.visit_id JOIN users lu ON lu.id = v.leader_id
		  LEFT JOIN users u ON u.id = d.follow_up_user_id LEFT JOIN departments dep ON dep.id = d.follow_up_department_id
		  LEFT JOIN users du ON du.id = d.done_by
		WHERE (d.follow_up_user_id = ${user.id} OR d.follow_up_department_id = ${user.departmentId ?? -1})
		  AND (d.done_at IS NULL OR d.done_at > now() - interval '30 days')
		ORDER BY d.done_at IS NOT NULL, ${decisionOverdueSql()} DESC, d.due_date NULLS LAST, d.id`;
}

/** 落实: records what was done, once, by the owner, the visit's leader or an admin (0025 checks who). */
export async function completeDecision(db: Database, id: number, note: string): Promise<void> {
	await db.sql`SELECT visit_decision_done(${id}, ${note})`;
}
