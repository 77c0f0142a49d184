// Per-grid counts and the chosen measure's value and legend:
// GET ?measure=open_per_100|overdue|coverage → {measure, label, unit, legend, generatedAt, grids: [...]}.
// Counts depend on now() (overdue, 90-day visits), so clients always revalidate.
import { ready } from '$lib/server/database';
import { gridStats } from '$lib/server/queries/grids';
import { api, sendCached } from '$lib/server/queries/http';
import { parseMeasure } from '$lib/server/queries/params';

export const GET = api(async ({ request, url }) => {
	const measure = parseMeasure(url.searchParams.get('measure'));
	const db = await ready();
	return sendCached(request, await gridStats(db, measure), false);
});
