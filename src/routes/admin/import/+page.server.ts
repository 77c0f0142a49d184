// 数据导入 (admins): the page itself; uploads go to POST /api/import, which streams progress.
import { error } from '@sveltejs/kit';
import { ApiError } from '$lib/domain/apierror';
import { DEFAULT_LIMITS } from '$lib/domain/import/types';
import { isDemoDatabase, requireUser } from '$lib/server/auth';
import { ready } from '$lib/server/database';
import { recentImports } from '$lib/server/import/jobs';
import { pageUser } from '$lib/server/requests/pages';
import { versions } from '$lib/server/queries/versions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	try {
		requireUser(event, 'admin');
	} catch (e) {
		if (e instanceof ApiError) error(e.status, { message: e.message });
		throw e;
	}
	const db = await ready();
	const [demo, v, jobs] = await Promise.all([isDemoDatabase(db), versions(db), recentImports(db, user)]);
	return { user, demo, jobs, maxBytes: DEFAULT_LIMITS.maxBytes, basemap: `/api/map/basemap?v=${v.basemap}` };
};
