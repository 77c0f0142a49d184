// The import history shown on /admin/import: admins only, newest first.
import type { SessionUser } from '../auth/user';
import type { Queryable } from '../db/client';

export interface ImportJob { id: number; layer: string; fileName: string; mode: string; rows: number; warnings: number; by: string | null; at: string }

export async function recentImports(db: Queryable, user: SessionUser | null, limit = 20): Promise<ImportJob[]> {
	if (user?.role !== 'admin') return [];
	return db.sql<ImportJob>`
		SELECT j.id, j.layer, j.file_name AS "fileName", j.mode, j.rows, j.warnings, u.display_name AS by,
		       to_char(j.created_at AT TIME ZONE 'UTC' + interval '8 hours', 'YYYY-MM-DD HH24:MI') AS at
		FROM import_jobs j LEFT JOIN users u ON u.id = j.user_id ORDER BY j.id DESC LIMIT ${limit}`;
}
