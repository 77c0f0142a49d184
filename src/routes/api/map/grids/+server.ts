// Grid polygons: GeoJSON FeatureCollection, properties {code, name, community}.
import { dbFor } from '$lib/server/access/request';
import { gridsGeojson } from '$lib/server/queries/grids';
import { api, sendCached } from '$lib/server/http/respond';
import { isCurrentFor, scopeTag, versions } from '$lib/server/queries/versions';

export const GET = api(async ({ request, url, locals }) => {
	const db = await dbFor({ locals });
	const [current, tag] = [(await versions(db)).grids, await scopeTag(db)];
	return sendCached(request, await gridsGeojson(db), isCurrentFor(url.searchParams.get('v'), current, tag), tag);
});
