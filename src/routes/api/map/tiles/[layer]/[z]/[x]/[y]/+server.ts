// A binary point tile (format: src/lib/domain/pointcodec.ts) of households, hazards (未销号) or
// open requests. ?v= the layer's version for this viewer from /api/map/meta makes it cacheable.
import { dbFor } from '$lib/server/access/request';
import { api, sendCached } from '$lib/server/http/respond';
import { parseLayer, parseTile } from '$lib/server/queries/params';
import { pointTile } from '$lib/server/queries/pointTiles';
import { isCurrentFor, scopeTag } from '$lib/server/queries/versions';

export const GET = api(async ({ params, request, url, locals }) => {
	const layer = parseLayer(params.layer);
	const tile = parseTile(params);
	const db = await dbFor({ locals });
	const [{ cached, version }, tag] = await Promise.all([pointTile(db, layer, tile), scopeTag(db)]);
	const res = sendCached(request, cached, isCurrentFor(url.searchParams.get('v'), version, tag), tag);
	res.headers.set('x-data-version', version);
	res.headers.set('x-point-count', String(cached.meta.count));
	return res;
});
