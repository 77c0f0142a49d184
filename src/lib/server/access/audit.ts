// 审计日志: reading it (admins only: row-level security decides, 0007) and writing a row.
import { badParam, enumParam, intParam } from '../../domain/apierror';
import type { Queryable } from '../db/client';

export const AUDIT_ACTIONS = ['unmask', 'export', 'login', 'login_failed', 'login_locked', 'logout', 'logout_all', 'password_change', 'user_admin', 'kpi_target', 'pairing', 'regrid', 'care_frequency'] as const;
export const AUDIT_LABEL: Record<(typeof AUDIT_ACTIONS)[number], string> = {
	unmask: '查看完整信息', export: '导出', login: '登录', login_failed: '登录失败', login_locked: '锁定期间登录',
	logout: '退出', logout_all: '退出所有设备', password_change: '修改密码', user_admin: '账号管理', kpi_target: '考核目标', pairing: '包联', regrid: '更新区划/网格', care_frequency: '关爱走访周期'
};

export interface AuditFilter { action: AuditAction | null; user: string | null; limit: number }

export function parseAuditFilter(q: URLSearchParams): AuditFilter {
	const action = q.get('action') ? enumParam(q.get('action'), 'action', '操作', AUDIT_ACTIONS) : null;
	const user = q.get('user')?.trim() || null;
	if (user && user.length > 64) throw badParam('user', '用户名（user）不能超过 64 个字符');
	return { action, user, limit: q.get('limit') ? intParam(q.get('limit'), 'limit', '条数', 1, 1000) : 200 };
}

export interface AuditRow {
	id: number; at: Date; username: string | null; displayName: string | null; action: string;
	/** what the row is about as written: household:2, user:5, 430199, requests.csv … */
	subject: string | null;
	/** the subject as a person reads it: a household's address, a user's name, an area's name; null when it has none */
	subjectName: string | null;
	rows: number | null; reason: string | null; ip: string | null;
}

/**
 * The newest rows first, each subject named: household:N → 住户 and its address (its personal
 * fields stay out: the log must not show what an unmasking revealed), user:N → the user's display
 * name and account, an area or grid code (bare or area:/grid:) → its name. The lookups are scalar
 * subqueries on primary keys, guarded by the subject's pattern, so a subject of another form costs
 * nothing and never fails a cast.
 */
export function auditRows(db: Queryable, f: AuditFilter) {
	return db.sql<AuditRow>`
		SELECT a.id, a.at, u.username, u.display_name AS "displayName", a.action, a.subject, a.rows, a.reason, a.ip,
		       CASE
		         WHEN a.subject ~ '^household:[0-9]{1,9}$' THEN
		           (SELECT '住户 ' || h.address FROM households h WHERE h.id = substr(a.subject, 11)::int)
		         WHEN a.subject ~ '^user:[0-9]{1,9}$' THEN
		           (SELECT s.display_name || '（' || s.username || '）' FROM users s WHERE s.id = substr(a.subject, 6)::int)
		         WHEN a.subject ~ '^(area:)?[0-9]{6}([0-9]{3}){0,2}$' THEN
		           (SELECT r.name FROM areas r WHERE r.code = regexp_replace(a.subject, '^area:', ''))
		         WHEN a.subject ~ '^(grid:)?[0-9]{15}$' THEN
		           (SELECT g.name FROM grids g WHERE g.code = regexp_replace(a.subject, '^grid:', ''))
		       END AS "subjectName"
		  FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
		 WHERE (${f.action}::text IS NULL OR a.action = ${f.action}) AND (${f.user}::text IS NULL OR u.username = ${f.user})
		 ORDER BY a.id DESC LIMIT ${f.limit}`;
}

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What one audit row says; `userId` is who acted (for user_admin the admin, not the account changed). */
export interface AuditEntry {
	userId: number;
	action: AuditAction;
	subject: string;
	ip?: string | null;
	rows?: number | null;
	detail?: Record<string, unknown> | null;
}

/**
 * The one place the app writes audit_log (the sign-in functions of 0011 write their own rows in
 * the database). Row-level security (0007) checks that `db` acts as entry.userId.
 */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
	await db.sql`INSERT INTO audit_log (user_id, action, subject, ip, rows, detail)
		VALUES (${entry.userId}, ${entry.action}, ${entry.subject}, ${entry.ip ?? null}, ${entry.rows ?? null}, ${JSON.stringify(entry.detail ?? {})}::jsonb)`;
}

/** One export, in the name of the user whose database handle `db` is (the audit log checks that). */
export async function recordExport(db: Queryable, userId: number, subject: string, rows: number, detail: Record<string, unknown> = {}) {
	await recordAudit(db, { userId, action: 'export', subject, rows, detail });
}
