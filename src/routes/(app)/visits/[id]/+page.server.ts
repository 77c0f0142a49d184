// One visit: the timed route on a map, adjustments while planned, exports, and the 走找想促 outcome.
import { intParam } from '$lib/domain/apierror';
import { dbFor } from '$lib/server/access/request';
import { viewerVersions } from '$lib/server/queries/versions';
import { visitOutcome } from '$lib/server/visits/outcome';
import { pageCall, pageUser } from '$lib/server/visits/page';
import { getVisit } from '$lib/server/visits/store';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = pageUser(locals, url);
	const db = await dbFor({ locals });
	const visit = await pageCall(async () => getVisit(db, user, intParam(params.id, 'id', '走访编号', 1, 2 ** 31)));
	const [outcome, categories, people, v] = await Promise.all([
		visitOutcome(db, visit.id),
		db.sql<{ code: string; name: string }>`SELECT c.code, p.name || ' / ' || c.name AS name FROM categories c JOIN categories p ON p.code = c.parent_code ORDER BY c.code`,
		db.sql<{ id: number; name: string }>`SELECT id, display_name || coalesce('（' || title || '）', '') AS name FROM users WHERE role IN ('leader', 'admin') AND active ORDER BY id`,
		viewerVersions(db)
	]);
	const departments = await db.sql<{ id: number; name: string }>`SELECT id, name FROM departments ORDER BY id`;
	const owner = user.role === 'admin' || visit.leader_id === user.id;
	return { user, visit, outcome, categories, people, departments, owner, basemap: `/api/map/basemap?v=${v.basemap}` };
};
