// Grid polygons: GeoJSON FeatureCollection, properties {code, name, community}.
import { ready } from '$lib/server/database';
import { gridsGeojson } from '$lib/server/queries/grids';
import { api, sendCached } from '$lib/server/queries/http';
import { versions } from '$lib/server/queries/versions';

export const GET = api(async ({ request, url }) => {
	const db = await ready();
	const current = (await versions(db)).grids;
	return sendCached(request, await gridsGeojson(db), url.searchParams.get('v') === current);
});
