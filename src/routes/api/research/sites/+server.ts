// GET /api/research/sites?category=property&days=90&k=5&weights={"volume":1,…} (old URL:
// /api/hotspots/sites). The numbers behind the 解剖麻雀 site choice and the default choice; the
// page re-runs the same pure choice in the browser when the leader moves a weight.
import { badParam, intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { filterFrom } from '$lib/server/hotspots/http';
import { chooseSites } from '$lib/server/research/sites';
import { api, jsonResponse } from '$lib/server/http/respond';

export const GET = api(async (event) => {
	requireUser(event, 'leader', 'admin');
	const db = await dbFor(event);
	const q = event.url.searchParams;
	const k = intParam(q.get('k') ?? '5', 'k', '选点个数', 1, 20);
	let weights = {};
	if (q.get('weights')) {
		try { weights = JSON.parse(q.get('weights')!); } catch { throw badParam('weights', '权重（weights）必须是 JSON 对象'); }
	}
	return jsonResponse(await chooseSites(db, await filterFrom(db, event.url), { k, weights, minCount: intParam(q.get('minCount') ?? '5', 'minCount', '最少诉求数', 1, 1000) }));
});
