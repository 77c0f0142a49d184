// GET /api/map/base-style: the MapLibre style of the configured base-map preset (MAP_PRESET; see
// server/map/basemapConfig.ts), or 404 when none is configured. Holds the 天地图 key, as any
// browser that draws 天地图 must: signed-in users only, like every map route.
import { notFound } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { api, jsonResponse } from '$lib/server/http/respond';
import { baseStyle } from '$lib/server/map/basemapConfig';

export const GET = api(async (event) => {
	requireUser(event);
	const style = await baseStyle();
	if (!style) throw notFound('未配置底图预设（MAP_PRESET）');
	return jsonResponse(style, 200, { 'cache-control': 'private, max-age=300' });
});
