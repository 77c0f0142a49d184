// The map page: areas for the tree, data versions for cache-safe URLs, and the configured base
// style (天地图 / an intranet tile server) when there is one. While the first start is still
// seeding, only the progress is returned and the page shows the progress screen.
import { env as publicEnv } from '$env/dynamic/public';
import { env } from '$env/dynamic/private';
import { dbFor } from '$lib/server/access/request';
import { SeedingError } from '$lib/server/db/database';
import { areaList } from '$lib/server/queries/areas';
import { viewerVersions } from '$lib/server/queries/versions';
import { warmPointTiles } from '$lib/server/queries/pointTiles';
import { mapArea } from '$lib/server/queries/userArea';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	try {
		const db = await dbFor({ locals });
		const [areas, v] = await Promise.all([areaList(db), viewerVersions(db)]);
		const district = areas.find((a) => a.level === 'district');
		if (district) warmPointTiles(db, district.bbox);
		const styleUrl = publicEnv.PUBLIC_MAP_STYLE_URL || env.MAP_STYLE_URL || null;
		return { seeding: null, user: locals.user && { displayName: locals.user.displayName, title: locals.user.title }, map: { areas, versions: v, styleUrl }, mapArea: await mapArea({ locals }) };
	} catch (e) {
		if (e instanceof SeedingError) return { seeding: e.progress, user: null, map: null };
		throw e;
	}
};
