// Per-grid counts and the chosen measure's value and legend:
// GET ?measure=open_per_100|overdue|coverage → {measure, label, unit, legend, generatedAt, grids: [...]}.
// Counts depend on now() (overdue, 90-day visits), so clients always revalidate.
import { dbFor } from '$lib/server/access/request';
import { gridStats } from '$lib/server/queries/grids';
import { api, sendCached } from '$lib/server/http/respond';
import { parseMeasure } from '$lib/server/queries/params';
import { scopeTag } from '$lib/server/queries/versions';

export const GET = api(async ({ request, url, locals }) => {
	const measure = parseMeasure(url.searchParams.get('measure'));
	const db = await dbFor({ locals });
	return sendCached(request, await gridStats(db, measure), false, await scopeTag(db));
});
