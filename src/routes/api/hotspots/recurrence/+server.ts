// GET /api/hotspots/recurrence?days=365&minCount=3&category=property&limit=200
// Households and places with repeated requests of the same kind (未诉先办).
import { badParam, intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { categoryCodes } from '$lib/server/hotspots/http';
import { recurrences } from '$lib/server/hotspots/recurrence';
import { api, jsonResponse } from '$lib/server/http/respond';

export const GET = api(async (event) => {
	requireUser(event);
	const db = await dbFor(event);
	const q = event.url.searchParams;
	const category = q.get('category') && q.get('category') !== 'all' ? q.get('category')! : null;
	if (category && !(await categoryCodes(db)).codes.has(category)) throw badParam('category', `未知的诉求类别 category：“${category}”`);
	const opts = {
		days: intParam(q.get('days') ?? '365', 'days', '统计天数', 7, 730),
		minCount: intParam(q.get('minCount') ?? '3', 'minCount', '最少重复次数', 2, 100),
		limit: intParam(q.get('limit') ?? '200', 'limit', '条数上限', 1, 2000),
		category
	};
	return jsonResponse({ recurrences: await recurrences(db, opts) });
});
