// 诉求清单: the filtered list (also every KPI drill-down), on a map and in a table, with export.
import { KPI_BY_KEY } from '$lib/domain/kpi';
import { parseRequestFilter } from '$lib/domain/requestfilter';
import { visibleGridCodes } from '$lib/server/auth/visibility';
import { dbFor } from '$lib/server/access/request';
import { listRequests } from '$lib/server/requests/list';
import { pageCall, pageUser } from '$lib/server/http/guards';
import { referenceLists } from '$lib/server/queries/reference';
import { mapArea } from '$lib/server/queries/userArea';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const db = await dbFor(event);
	const filter = await pageCall(() => parseRequestFilter(event.url.searchParams));
	const list = await listRequests(db, filter, await visibleGridCodes(db, user));
	const { categories, departments } = await referenceLists(db);
	const kpi = filter.kpi ? { label: KPI_BY_KEY[filter.kpi].label, definition: KPI_BY_KEY[filter.kpi].definition, part: filter.part } : null;
	return { user, list, categories, departments, kpi, query: event.url.searchParams.toString(), mapArea: await mapArea(event) };
};
