// The map page: areas for the tree, data versions for cache-safe URLs, and the configured base
// style (天地图 / Amap / an intranet tile server; server/map/basemapConfig.ts) and the coordinates it is drawn in, when there is one. While the first start is still
// seeding, only the progress is returned and the page shows the progress screen.
import { dbFor } from '$lib/server/access/request';
import { basemapConfig } from '$lib/server/map/basemapConfig';
import { SeedingError } from '$lib/server/db/database';
import { areaList } from '$lib/server/queries/areas';
import { viewerVersions } from '$lib/server/queries/versions';
import { gridAggregates } from '$lib/server/queries/aggregates';
import { mapArea } from '$lib/server/queries/userArea';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	try {
		const db = await dbFor({ locals });
		const [areas, v] = await Promise.all([areaList(db), viewerVersions(db)]);
		// the map opens below street zoom on per-grid counts: start building them while the page loads
		gridAggregates(db).catch((e) => console.error('[aggregates] warm-up failed:', e));
		const { styleUrl, displayCrs } = basemapConfig();
		return { seeding: null, user: locals.user && { displayName: locals.user.displayName, title: locals.user.title }, map: { areas, versions: v, styleUrl, displayCrs }, mapArea: await mapArea({ locals }) };
	} catch (e) {
		if (e instanceof SeedingError) return { seeding: e.progress, user: null, map: null };
		throw e;
	}
};
