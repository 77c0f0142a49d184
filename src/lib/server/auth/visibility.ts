// Which grids a user sees in detail (row-level security enforces the same in the database, 0007).
import type { Database, Queryable } from '../db/client';
import type { SessionUser } from './user';

/** Grids a user may see in detail: null means all (admins, leaders, departments, the screen's aggregates). */
export async function visibleGridCodes(db: Database | Queryable, user: SessionUser | null): Promise<string[] | null> {
	if (!user || user.role !== 'grid_manager') return null;
	const rows = await db.sql<{ grid_code: string }>`SELECT grid_code FROM user_grids WHERE user_id = ${user.id} ORDER BY grid_code`;
	return rows.map((r) => r.grid_code);
}
