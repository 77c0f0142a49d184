// Offline base map data: GeoJSON FeatureCollection, properties {kind, name?, code?}.
import { dbFor } from '$lib/server/access/request';
import { basemapGeojson } from '$lib/server/queries/basemap';
import { api, sendCached } from '$lib/server/queries/http';
import { versions } from '$lib/server/queries/versions';

export const GET = api(async ({ request, url, locals }) => {
	const db = await dbFor({ locals });
	const current = (await versions(db)).basemap;
	return sendCached(request, await basemapGeojson(db), url.searchParams.get('v') === current);
});
