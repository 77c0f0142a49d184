// A building tile (Mapbox Vector Tile, layer `buildings`) for the base map at zoom 15–16; the map
// overzooms beyond. ?v= the buildings version for this viewer from /api/map/meta makes it cacheable.
import { dbFor } from '$lib/server/access/request';
import { api, sendCached } from '$lib/server/http/respond';
import { parseBuildingTile } from '$lib/server/queries/params';
import { buildingTile } from '$lib/server/queries/buildingTiles';
import { isCurrentFor, scopeTag } from '$lib/server/queries/versions';

export const GET = api(async ({ params, request, url, locals }) => {
	const tile = parseBuildingTile(params);
	const db = await dbFor({ locals });
	const [{ cached, version }, tag] = await Promise.all([buildingTile(db, tile), scopeTag(db)]);
	const res = sendCached(request, cached, isCurrentFor(url.searchParams.get('v'), version, tag), tag);
	res.headers.set('x-data-version', version);
	res.headers.set('x-building-count', String(cached.meta.count));
	return res;
});
