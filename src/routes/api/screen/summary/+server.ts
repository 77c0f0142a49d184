// GET ?area=<6|9|12-digit code>: the big screen's aggregates for an area (default: the district).
import { badParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { areaExists } from '$lib/server/queries/reference';
import { cachedSummary } from '$lib/server/screen/cache';

export const GET = api(async (event) => {
	requireUser(event);
	const area = event.url.searchParams.get('area') || null;
	if (area !== null && !/^[0-9]{6}([0-9]{3}){0,2}$/.test(area)) throw badParam('area', `区域代码（area）应为 6、9 或 12 位数字，收到“${area}”`);
	const db = await dbFor(event);
	if (area && !(await areaExists(db, area))) throw badParam('area', `没有代码为 ${area} 的区域`);
	return jsonResponse(await cachedSummary(db, area), 200, { 'cache-control': 'no-store' });
});
