// The households or hazards behind a number of /kpi (入户走访覆盖率, 隐患整改率): the list the
// count is made of, with its total.
import { localDateSpan } from '$lib/domain/calendar';
import { visitDaysParam } from '$lib/domain/kpi';
import { parseRequestFilter } from '$lib/domain/requestfilter';
import { dbFor } from '$lib/server/access/request';
import { pageCall, pageUser } from '$lib/server/http/guards';
import { listPlaces } from '$lib/server/kpi/drill';
import { areaRows } from '$lib/server/queries/reference';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = pageUser(event);
	const q = event.url.searchParams;
	const f = await pageCall(() => parseRequestFilter(q));
	const days = await pageCall(() => visitDaysParam(q.get('days')));
	const list = await pageCall(async () => listPlaces(await dbFor(event), f, { visitDays: days }));
	const areas = await areaRows(await dbFor(event));
	const areaName = (f.area ? areas.find((a) => a.code === f.area)?.name : areas.find((a) => a.level === 'district')?.name) ?? f.area;
	return { user, list, days, period: localDateSpan(f.from, f.to), areaName, offset: f.offset, limit: f.limit };
};
