// Details of the point at `index` in a point tile, as the details panel shows them (personal
// data masked). ?v= is the data version the tile was drawn from; if the rows changed since, 409:
// the index could now name another row.
import { dbFor } from '$lib/server/access/request';
import { ApiError, intParam, notFound } from '$lib/domain/apierror';
import { featureDetail } from '$lib/server/queries/details';
import { api, jsonResponse } from '$lib/server/http/respond';
import { parseLayer, parseTile } from '$lib/server/queries/params';
import { pointTile } from '$lib/server/queries/pointTiles';
import { sameRows } from '$lib/server/queries/versions';

export const GET = api(async ({ params, url, locals }) => {
	const layer = parseLayer(params.layer);
	const tile = parseTile(params);
	const index = intParam(params.index, 'index', '点序号', 0, 10_000_000);
	const db = await dbFor({ locals });
	const { cached, version } = await pointTile(db, layer, tile);
	const v = url.searchParams.get('v');
	if (v && !sameRows(v, version)) throw new ApiError(409, 'stale', '地图数据已更新，请重新点击', 'v');
	if (index >= cached.meta.count) throw notFound(`该瓦片只有 ${cached.meta.count} 个点，没有序号 ${index}`, 'index');
	const detail = await featureDetail(db, layer, cached.meta.ids[index]);
	if (!detail) throw notFound('该点已不存在', 'index');
	return jsonResponse(detail, 200, { 'cache-control': 'no-store' });
});
