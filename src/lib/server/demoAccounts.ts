// The demo accounts offered on the login page of the synthetic district: a few of each role.
import type { Queryable } from './db/client';
import { ROLE_LABEL, type Role } from './auth/user';

export interface DemoAccount {
	username: string;
	displayName: string;
	role: Role;
	roleLabel: string;
	title: string | null;
}

export async function demoAccounts(db: Queryable): Promise<DemoAccount[]> {
	const rows = await db.sql<Omit<DemoAccount, 'roleLabel'>>`
		SELECT username, display_name AS "displayName", role, title FROM (
			SELECT u.id, u.username, u.display_name, u.role, u.title, row_number() OVER (PARTITION BY role ORDER BY id) AS n FROM users u WHERE active) x
		WHERE n <= CASE role WHEN 'leader' THEN 4 WHEN 'department_staff' THEN 4 WHEN 'grid_manager' THEN 3 ELSE 2 END
		ORDER BY CASE role WHEN 'leader' THEN 1 WHEN 'grid_manager' THEN 2 WHEN 'department_staff' THEN 3 WHEN 'mediator' THEN 4 WHEN 'admin' THEN 5 ELSE 6 END, id`;
	return rows.map((r) => ({ ...r, roleLabel: ROLE_LABEL[r.role] }));
}

/** Only same-site paths: an open redirect would let a link sign someone in and send them away. */
export { safeRedirect } from '../domain/redirect';
