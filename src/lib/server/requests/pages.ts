// The reference lists the request-loop pages offer (categories, departments, leaders, mediators).
import type { Queryable } from '../db/client';

export async function referenceLists(db: Queryable) {
	const [categories, departments, leaders, mediators] = await Promise.all([
		db.sql<{ code: string; name: string; parent: string }>`
			SELECT c.code, c.name, p.name AS parent FROM categories c JOIN categories p ON p.code = c.parent_code ORDER BY c.code`,
		db.sql<{ id: number; name: string }>`SELECT id, name FROM departments ORDER BY id`,
		db.sql<{ id: number; name: string }>`SELECT id, display_name || coalesce('（' || title || '）', '') AS name FROM users WHERE role = 'leader' AND active ORDER BY id`,
		db.sql<{ id: number; name: string }>`SELECT id, display_name AS name FROM users WHERE role = 'mediator' AND active ORDER BY id`
	]);
	return { categories, departments, leaders, mediators };
}
