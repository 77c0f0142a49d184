// 账号管理 (admins): create accounts, set a password, lock and unlock, assign grids and
// jurisdiction. They run as the admin (enterUser): row-level security of 0011 lets only admins
// write users, user_grids and others' sessions, and grid_app never reads a password hash (lock
// state and last sign-in come from admin_user_state()). Each change writes audit_log in the same
// transaction.
import { ApiError, badParam, enumParam, intParam } from '../../domain/apierror';
import { checkNewPassword, hashPassword } from '../auth/password';
import { ROLE_LABEL, type Role, type SessionUser } from '../auth/user';
import type { Database, Queryable } from '../db/client';
import { recordAudit } from './audit';
import { enterUser } from './userdb';

export const ROLES = Object.keys(ROLE_LABEL) as Role[];

export interface UserRow {
	id: number; username: string; displayName: string; role: Role; title: string | null; department: string | null;
	jurisdiction: string | null; grids: number; active: boolean; locked: boolean; hasPassword: boolean; lastLogin: Date | null;
}

export async function listUsers(db: Queryable, q: { role: Role | null; text: string | null; limit: number }): Promise<UserRow[]> {
	return db.sql<UserRow>`
		SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.title, d.name AS department,
		       u.jurisdiction_code AS jurisdiction, (SELECT count(*) FROM user_grids g WHERE g.user_id = u.id)::int AS grids,
		       u.active, coalesce(s.locked, false) AS locked, coalesce(s.has_password, false) AS "hasPassword", s.last_login AS "lastLogin"
		  FROM users u LEFT JOIN departments d ON d.id = u.department_id LEFT JOIN admin_user_state() s ON s.id = u.id
		 WHERE (${q.role}::text IS NULL OR u.role = ${q.role})
		   AND (${q.text}::text IS NULL OR u.username ILIKE '%' || ${q.text} || '%' OR u.display_name LIKE '%' || ${q.text} || '%')
		 ORDER BY CASE u.role WHEN 'admin' THEN 1 WHEN 'leader' THEN 2 WHEN 'department_staff' THEN 3 WHEN 'mediator' THEN 4 WHEN 'screen' THEN 5 ELSE 6 END, u.id
		 LIMIT ${q.limit}`;
}

export interface NewUser {
	username: string; displayName: string; role: Role; title: string | null; departmentId: number | null;
	jurisdiction: string | null; grids: string[]; password: string;
}

const text = (raw: unknown, field: string, label: string, max: number, required: boolean): string | null => {
	const v = typeof raw === 'string' ? raw.trim() : '';
	if (!v) {
		if (required) throw badParam(field, `请填写${label}（${field}）`);
		return null;
	}
	if (v.length > max) throw badParam(field, `${label}（${field}）不能超过 ${max} 个字`);
	return v;
};

/** Form or JSON fields → NewUser, naming the first bad field. */
export function parseNewUser(b: Record<string, unknown>): NewUser {
	const username = text(b.username, 'username', '用户名', 64, true)!;
	if (!/^[A-Za-z0-9_.-]{3,64}$/.test(username)) throw badParam('username', '用户名（username）只能由 3–64 个字母、数字、下划线、点或连字符组成');
	const role = enumParam(String(b.role ?? ''), 'role', '角色', ROLES);
	const jurisdiction = text(b.jurisdiction, 'jurisdiction', '管辖区域代码', 12, role === 'leader');
	if (jurisdiction && !/^\d{6}(\d{3}){0,2}$/.test(jurisdiction)) throw badParam('jurisdiction', '管辖区域代码（jurisdiction）应为 6/9/12 位行政区划代码');
	const grids = String(b.grids ?? '').split(/[\s,，、]+/).filter(Boolean);
	for (const g of grids) if (!/^\d{15}$/.test(g)) throw badParam('grids', `网格编码（grids）应为 15 位数字，收到“${g}”`);
	if (role === 'grid_manager' && grids.length === 0) throw badParam('grids', '网格员须至少负责一个网格（grids）');
	const departmentId = b.departmentId === undefined || b.departmentId === '' ? null : intParam(String(b.departmentId), 'departmentId', '部门', 1, 2 ** 31 - 1);
	if (role === 'department_staff' && departmentId === null) throw badParam('departmentId', '部门人员须选择所属部门（departmentId）');
	const password = String(b.password ?? '');
	checkNewPassword(password, username, 'password');
	return {
		username, role, jurisdiction: role === 'leader' ? jurisdiction : null, grids: role === 'grid_manager' ? grids : [],
		displayName: text(b.displayName, 'displayName', '姓名', 50, true)!, title: text(b.title, 'title', '职务', 50, false),
		departmentId: role === 'department_staff' ? departmentId : null, password
	};
}

// ip: the admin's address; these run on the server's own connection, where no app.client_ip is set
async function audit(tx: Queryable, admin: SessionUser, subject: string, detail: Record<string, unknown>, ip: string | null) {
	await recordAudit(tx, { userId: admin.id, action: 'user_admin', subject, detail, ip });
}

export async function createUser(db: Database, admin: SessionUser, u: NewUser, ip: string | null = null): Promise<number> {
	const hash = await hashPassword(u.password);
	return db.transaction(async (tx) => {
		await enterUser(tx, admin.id, ip);
		if ((await tx.sql`SELECT 1 FROM users WHERE username = ${u.username}`).length) throw badParam('username', `用户名“${u.username}”已被使用`);
		if (u.jurisdiction && !(await tx.sql`SELECT 1 FROM areas WHERE code = ${u.jurisdiction}`).length) throw badParam('jurisdiction', `没有代码为 ${u.jurisdiction} 的区域`);
		if (u.grids.length) {
			const found = await tx.sql<{ code: string; retired: boolean }>`SELECT code, valid_to IS NOT NULL AS retired FROM grids WHERE code = ANY(${u.grids}::text[])`;
			const missing = u.grids.filter((g) => !found.some((f) => f.code === g));
			if (missing.length) throw badParam('grids', `没有这些网格：${missing.join('、')}`);
			// a grid an update retired (停用) keeps its old requests but has no worker any more
			const retired = found.filter((f) => f.retired).map((f) => f.code);
			if (retired.length) throw badParam('grids', `这些网格已停用，不能再分配：${retired.join('、')}`);
		}
		const [row] = await tx.sql<{ id: number }>`
			INSERT INTO users (username, display_name, role, title, department_id, jurisdiction_code, password_hash, password_changed_at)
			VALUES (${u.username}, ${u.displayName}, ${u.role}, ${u.title}, ${u.departmentId}, ${u.jurisdiction}, ${hash}, now()) RETURNING id`;
		for (const g of u.grids) await tx.sql`INSERT INTO user_grids (user_id, grid_code) VALUES (${row.id}, ${g})`;
		await audit(tx, admin, `user:${row.id}`, { op: 'create', username: u.username, role: u.role, grids: u.grids.length, jurisdiction: u.jurisdiction }, ip);
		return row.id;
	});
}

export type UserChange = { op: 'password'; password: string } | { op: 'unlock' } | { op: 'deactivate' } | { op: 'activate' };

export function parseUserChange(b: Record<string, unknown>): UserChange {
	const op = enumParam(String(b.op ?? ''), 'op', '操作', ['password', 'unlock', 'deactivate', 'activate'] as const);
	return op === 'password' ? { op, password: String(b.password ?? '') } : { op };
}

/** 重置密码 / 解锁 / 停用 / 启用. A new password or a deactivation ends the account's sessions. */
export async function changeUser(db: Database, admin: SessionUser, id: number, change: UserChange, ip: string | null = null): Promise<void> {
	const [target] = await db.sql<{ username: string }>`SELECT username FROM users WHERE id = ${id}`;
	if (!target) throw new ApiError(404, 'not_found', `没有编号为 ${id} 的账号`, 'id');
	if (id === admin.id && change.op === 'deactivate') throw badParam('op', '不能停用自己的账号');
	const hash = change.op === 'password' ? await hashPassword(checkNewPassword(change.password, target.username, 'password')) : null;
	await db.transaction(async (tx) => {
		await enterUser(tx, admin.id, ip);
		let changed;
		if (change.op === 'password') {
			changed = await tx.sql`UPDATE users SET password_hash = ${hash}, password_changed_at = now(), failed_logins = 0, locked_until = NULL WHERE id = ${id} RETURNING id`;
		} else if (change.op === 'unlock') {
			changed = await tx.sql`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ${id} RETURNING id`;
		} else {
			changed = await tx.sql`UPDATE users SET active = ${change.op === 'activate'} WHERE id = ${id} RETURNING id`;
		}
		// row-level security (0011) changes nothing for a non-admin: say so rather than pretend
		if (!changed.length) throw new ApiError(403, 'forbidden', '只有管理员可以管理账号');
		if (change.op === 'password' || change.op === 'deactivate') await tx.sql`DELETE FROM sessions WHERE user_id = ${id}`;
		await audit(tx, admin, `user:${id}`, { op: change.op, username: target.username }, ip);
	});
}
