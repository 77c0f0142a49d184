// Offline base map data: GeoJSON FeatureCollection, properties {kind, name?, code?}.
import { dbFor } from '$lib/server/access/request';
import { basemapGeojson } from '$lib/server/queries/basemap';
import { api, sendCached } from '$lib/server/http/respond';
import { isCurrentFor, scopeTag, versions } from '$lib/server/queries/versions';

export const GET = api(async ({ request, url, locals }) => {
	const db = await dbFor({ locals });
	const [current, tag] = [(await versions(db)).basemap, await scopeTag(db)];
	return sendCached(request, await basemapGeojson(db), isCurrentFor(url.searchParams.get('v'), current, tag), tag);
});
