// 数据导入 (admins): the page itself; uploads go to POST /api/import, which streams progress.
import { dev } from '$app/environment';
import { DEFAULT_LIMITS } from '$lib/domain/import/types';
import { isDemoDatabase } from '$lib/server/auth/signin';
import { requireUser } from '$lib/server/auth/user';
import { ready } from '$lib/server/db/database';
import { asUser } from '$lib/server/access/userdb';
import { recentImports } from '$lib/server/import/jobs';
import { pageCall, pageUser } from '$lib/server/http/guards';
import { viewerVersions } from '$lib/server/queries/versions';
import { mapArea } from '$lib/server/queries/userArea';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	await pageCall(() => requireUser(event, 'admin'));
	const db = await ready();
	const [demo, v, jobs] = await Promise.all([isDemoDatabase(db), viewerVersions(db), recentImports(asUser(db, user), user)]);
	return { user, demo, jobs, maxBytes: Math.min(DEFAULT_LIMITS.maxBytes, serverBodyLimit()), basemap: `/api/map/basemap?v=${v.basemap}`, mapArea: await mapArea(event) };
};

/** What adapter-node accepts as a request body (BODY_SIZE_LIMIT, 512K by default), bytes; Vite's dev server has no limit. */
function serverBodyLimit(raw = process.env.BODY_SIZE_LIMIT): number {
	if (dev) return Infinity;
	const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)$/i.exec((raw ?? '512K').trim());
	if (!m) return raw === 'Infinity' ? Infinity : 512 * 1024;
	return Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] || ' ').toUpperCase());
}
