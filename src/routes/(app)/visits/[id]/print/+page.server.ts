// The printable A4 走访路线单 for one visit.
import { intParam } from '$lib/domain/apierror';
import { dbFor } from '$lib/server/access/request';
import { pageCall, pageUser } from '$lib/server/http/guards';
import { sheetStops } from '$lib/server/visits/sheet';
import { getVisit } from '$lib/server/visits/store';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = pageUser({ locals, url });
	const db = await dbFor({ locals });
	const visit = await pageCall(async () => getVisit(db, user, intParam(params.id, 'id', '走访编号', 1, 2 ** 31)));
	return { visit, stops: await sheetStops(db, visit.id) };
};
