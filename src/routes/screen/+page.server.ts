// 大屏: the command centre's wall display. Aggregates only (src/lib/server/screen); the page then
// keeps itself current from /api/live and /api/screen/*. ?tour=<s> shortens the tour (tests),
// ?ping=<ms> the stream's heartbeat.
import { dbFor } from '$lib/server/access/request';
import { SeedingError } from '$lib/server/db/database';
import { areaList } from '$lib/server/queries/areas';
import { pageUser } from '$lib/server/http/guards';
import { cachedSummary } from '$lib/server/screen/cache';
import { mapArea } from '$lib/server/queries/userArea';
import type { PageServerLoad } from './$types';

const num = (raw: string | null, min: number, max: number) => (raw && Number.isFinite(Number(raw)) ? Math.min(max, Math.max(min, Number(raw))) : null);

export const load: PageServerLoad = async (event) => {
	pageUser(event);
	const q = event.url.searchParams;
	const options = { tourSeconds: num(q.get('tour'), 2, 600), pingMs: num(q.get('ping'), 1000, 60_000) ?? 15_000 };
	try {
		const db = await dbFor(event);
		const summary = await cachedSummary(db, null);
		const areas = await areaList(db);
		return { seeding: null, summary, areas, options, mapArea: await mapArea(event) };
	} catch (e) {
		if (e instanceof SeedingError) return { seeding: e.progress.message, summary: null, areas: [], options };
		throw e;
	}
};
