// After the visit (走找想促): what was found becomes requests linked to the visit, what was decided
// gets a follow-up owner; weeks later the outcome counts how many were resolved and how satisfied
// people were. Findings are inserted here following the request loop's rule (status 'reported',
// one 'report' event, grid from the point, channel 'visit'), inside the same transaction as the
// visit's own update, so an outcome is recorded whole or not at all.
import { percentNumber } from '../../domain/numbers';
import { DONE_STATUSES, requestCode, type RequestStatus } from '../../domain/workflow';
import { decisionOverdueSql, NOW, overdueSql } from '../db/fragments';
import { ApiError, badParam } from '../../domain/apierror';
import type { SessionUser } from '../auth/user';
import type { Database, Queryable } from '../db/client';
import { getVisit, requireOwner } from './store';

export interface Finding { title: string; categoryCode: string; description: string; priority: 'normal' | 'urgent'; stopSeq: number | null; lon: number | null; lat: number | null }
export interface Decision { decision: string; followUpUserId: number | null; followUpDepartmentId: number | null; dueDate: string | null }
export interface Outcome { findingsText: string; decisionsText: string; findings: Finding[]; decisions: Decision[] }

const str = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');
const optInt = (v: unknown, field: string, label: string): number | null => {
	if (v == null || v === '') return null;
	const n = Number(v);
	if (!Number.isSafeInteger(n) || n <= 0) throw badParam(field, `${label}（${field}）须是正整数，收到“${v}”`);
	return n;
};

export function parseOutcome(body: any): Outcome {
	const findings = (Array.isArray(body?.findings) ? body.findings : []).map((f: any, i: number): Finding => {
		const title = str(f?.title, 100);
		if (!title) throw badParam(`findings[${i}].title`, `第 ${i + 1} 条发现的问题缺少标题`);
		const categoryCode = str(f?.categoryCode, 64);
		if (!categoryCode) throw badParam(`findings[${i}].categoryCode`, `第 ${i + 1} 条发现的问题缺少诉求类别`);
		const hasPoint = f?.lon != null && f?.lat != null && f.lon !== '' && f.lat !== '';
		return { title, categoryCode, description: str(f?.description, 2000), priority: f?.priority === 'urgent' ? 'urgent' : 'normal',
			stopSeq: optInt(f?.stopSeq, `findings[${i}].stopSeq`, '走访点序号'), lon: hasPoint ? Number(f.lon) : null, lat: hasPoint ? Number(f.lat) : null };
	});
	const decisions = (Array.isArray(body?.decisions) ? body.decisions : []).map((d: any, i: number): Decision => {
		const decision = str(d?.decision, 500);
		if (!decision) throw badParam(`decisions[${i}].decision`, `第 ${i + 1} 条决定事项没有内容`);
		const due = str(d?.dueDate, 10) || null;
		if (due && !/^\d{4}-\d{2}-\d{2}$/.test(due)) throw badParam(`decisions[${i}].dueDate`, `第 ${i + 1} 条决定事项的完成期限须是 YYYY-MM-DD`);
		return { decision, followUpUserId: optInt(d?.followUpUserId, `decisions[${i}].followUpUserId`, '跟进人'),
			followUpDepartmentId: optInt(d?.followUpDepartmentId, `decisions[${i}].followUpDepartmentId`, '跟进部门'), dueDate: due };
	});
	return { findingsText: str(body?.findingsText, 4000), decisionsText: str(body?.decisionsText, 4000), findings, decisions };
}

async function findingPoint(tx: Queryable, visitId: number, f: Finding, i: number) {
	if (f.lon !== null && f.lat !== null) return { lon: f.lon, lat: f.lat };
	const seq = f.stopSeq ?? 1;
	const [s] = await tx.sql<{ lon: number; lat: number }>`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM visit_stops WHERE visit_id = ${visitId} AND seq = ${seq}`;
	if (!s) throw badParam(`findings[${i}].stopSeq`, `第 ${i + 1} 条发现的问题：本次走访没有第 ${seq} 站`);
	return s;
}

async function insertFinding(tx: Queryable, user: SessionUser, visitId: number, f: Finding, i: number, now: Date): Promise<{ id: number; code: string }> {
	const p = await findingPoint(tx, visitId, f, i);
	const [grid] = await tx.sql<{ code: string }>`SELECT code FROM grids WHERE valid_to IS NULL AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(${p.lon}, ${p.lat}), 4326)) ORDER BY code LIMIT 1`;
	if (!grid) throw badParam(`findings[${i}].lon`, `第 ${i + 1} 条发现的问题所在位置不在任何网格内`);
	const [cat] = await tx.sql<{ leaf: boolean }>`SELECT NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_code = c.code) AS leaf FROM categories c WHERE c.code = ${f.categoryCode}`;
	if (!cat) throw badParam(`findings[${i}].categoryCode`, `第 ${i + 1} 条发现的问题：没有这个诉求类别“${f.categoryCode}”`);
	if (!cat.leaf) throw badParam(`findings[${i}].categoryCode`, `第 ${i + 1} 条发现的问题：请选择具体的小类，“${f.categoryCode}”是大类`);
	const [{ id }] = await tx.sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('requests', 'id')) AS id`;
	const code = requestCode(id, now);
	await tx.sql`
		INSERT INTO requests (id, code, kind, category_code, channel, status, priority, title, description, grid_code, reported_at, visit_id, created_by, geom)
		VALUES (${id}, ${code}, 'request', ${f.categoryCode}, 'visit', 'reported', ${f.priority}, ${f.title}, ${f.description}, ${grid.code}, ${now}, ${visitId}, ${user.id},
		  ST_SetSRID(ST_MakePoint(${p.lon}, ${p.lat}), 4326))`;
	await tx.sql`
		INSERT INTO request_events (request_id, from_status, to_status, action, actor_id, at, reason, payload)
		VALUES (${id}, NULL, 'reported', 'report', ${user.id}, ${now}, '走访发现', ${JSON.stringify({ channel: 'visit', visitId })})`;
	return { id, code };
}

/** Records the outcome and closes the visit as done: all of it, or (on any bad field) none of it. */
export async function recordOutcome(db: Database, user: SessionUser, visitId: number, o: Outcome, now = new Date()) {
	const v = await getVisit(db, user, visitId);
	requireOwner(user, v);
	if (v.status !== 'planned') throw new ApiError(409, 'visit_closed', '这次走访的结果已经记录过了');
	return db.transaction(async (tx) => {
		const created = [];
		for (const [i, f] of o.findings.entries()) created.push(await insertFinding(tx, user, visitId, f, i, now));
		for (const [i, d] of o.decisions.entries()) {
			if (d.followUpUserId !== null && !(await tx.sql`SELECT 1 FROM users WHERE id = ${d.followUpUserId}`).length) throw badParam(`decisions[${i}].followUpUserId`, `跟进人 ${d.followUpUserId} 不存在`);
			if (d.followUpDepartmentId !== null && !(await tx.sql`SELECT 1 FROM departments WHERE id = ${d.followUpDepartmentId}`).length) throw badParam(`decisions[${i}].followUpDepartmentId`, `跟进部门 ${d.followUpDepartmentId} 不存在`);
			await tx.sql`INSERT INTO visit_decisions (visit_id, seq, decision, follow_up_user_id, follow_up_department_id, due_date)
				VALUES (${visitId}, ${i + 1}, ${d.decision}, ${d.followUpUserId}, ${d.followUpDepartmentId}, ${d.dueDate})`;
		}
		await tx.sql`UPDATE visits SET status = 'done', finished_at = ${now}, started_at = coalesce(started_at, ${now}),
			findings = ${o.findingsText}, decisions = ${o.decisionsText} WHERE id = ${visitId}`;
		return { requests: created };
	});
}

/** 走找想促, measured: the visit's requests by stage, resolution and satisfaction; its decisions. */
export async function visitOutcome(db: Queryable, visitId: number) {
	const requests = await db.sql<{ id: number; code: string; title: string; status: string; satisfaction: string | null; solved: boolean | null; overdue: boolean; reported_at: Date }>`
		SELECT id, code, title, status, satisfaction, solved, reported_at,
		  ${overdueSql(NOW, '')} AS overdue
		FROM requests WHERE visit_id = ${visitId} ORDER BY id`;
	const decisions = await db.sql`
		SELECT d.id, d.seq, d.decision, to_char(d.due_date, 'YYYY-MM-DD') AS due_date, u.display_name AS follow_up_user, dep.name AS follow_up_department,
		  ${decisionOverdueSql()} AS overdue, to_char(d.done_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS done_on, d.done_note
		FROM visit_decisions d LEFT JOIN users u ON u.id = d.follow_up_user_id LEFT JOIN departments dep ON dep.id = d.follow_up_department_id
		WHERE d.visit_id = ${visitId} ORDER BY d.seq`;
	const resolved = requests.filter((r) => DONE_STATUSES.includes(r.status as RequestStatus)).length;
	const evaluated = requests.filter((r) => r.satisfaction !== null);
	const satisfied = evaluated.filter((r) => r.satisfaction === 'satisfied' || r.satisfaction === 'basic').length;
	const pct = (a: number, b: number) => (b ? Number(percentNumber(a / b)) : null);
	return {
		total: requests.length, resolved, open: requests.length - resolved, overdue: requests.filter((r) => r.overdue).length,
		evaluated: evaluated.length, satisfied, resolvedRate: pct(resolved, requests.length), satisfactionRate: pct(satisfied, evaluated.length),
		solvedRate: pct(evaluated.filter((r) => r.solved).length, evaluated.length), requests, decisions
	};
}
