// The reference lists pages offer in their pickers (categories, departments, people, areas).
import type { Queryable } from '../db/client';

type Named = { id: number; name: string };
type Area = { code: string; name: string; level: string };

export const departments = (db: Queryable): Promise<Named[]> => db.sql<Named>`SELECT id, name FROM departments ORDER BY id`;

/** Every area (district, streets, communities), for pickers. */
export const areaRows = (db: Queryable): Promise<Area[]> => db.sql<Area>`SELECT code, name, level FROM areas ORDER BY code`;

export async function areaExists(db: Queryable, code: string): Promise<boolean> {
	return (await db.sql`SELECT 1 FROM areas WHERE code = ${code}`).length > 0;
}

/** Categories named with their parent (“城市管理 / 占道经营”). */
export const categoryPaths = (db: Queryable): Promise<{ code: string; name: string }[]> => db.sql<{ code: string; name: string }>`
	SELECT c.code, p.name || ' / ' || c.name AS name FROM categories c JOIN categories p ON p.code = c.parent_code ORDER BY c.code`;

/** Who may take part in a visit: leaders and admins, with their titles. */
export const visitPeople = (db: Queryable): Promise<Named[]> => db.sql<Named>`
	SELECT id, display_name || coalesce('（' || title || '）', '') AS name FROM users WHERE role IN ('leader', 'admin') AND active ORDER BY id`;

/** The request loop's lists: categories with their parent, departments, leaders (包联/包案) and mediators. */
export async function referenceLists(db: Queryable) {
	const [categories, departmentList, leaders, mediators] = await Promise.all([
		db.sql<{ code: string; name: string; parent: string }>`
			SELECT c.code, c.name, p.name AS parent FROM categories c JOIN categories p ON p.code = c.parent_code ORDER BY c.code`,
		departments(db),
		db.sql<Named>`SELECT id, display_name || coalesce('（' || title || '）', '') AS name FROM users WHERE role = 'leader' AND active ORDER BY id`,
		db.sql<Named>`SELECT id, display_name AS name FROM users WHERE role = 'mediator' AND active ORDER BY id`
	]);
	return { categories, departments: departmentList, leaders, mediators };
}
