// The printable A4 走访路线单 for one visit.
import { intParam } from '$lib/domain/apierror';
import { dbFor } from '$lib/server/access/request';
import { pageCall, pageUser } from '$lib/server/http/guards';
import { sheetOutlines, sheetStops } from '$lib/server/visits/sheet';
import { sheetMap, type SheetMapPoint } from '$lib/domain/sheetmap';
import { getVisit } from '$lib/server/visits/store';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = pageUser({ locals, url });
	const db = await dbFor({ locals });
	const visit = await pageCall(async () => getVisit(db, user, intParam(params.id, 'id', '走访编号', 1, 2 ** 31)));
	const stops = await sheetStops(db, visit.id);
	const outlines = await sheetOutlines(db, [...new Set(stops.map((s) => s.grid_code).filter((c): c is string => !!c))]);
	// start and end only when the route was computed; a recorded visit is its stops in order
	const req = visit.itinerary?.request;
	const points: SheetMapPoint[] = [
		...(req ? [{ lon: req.start.lon, lat: req.start.lat, mark: '起', kind: 'start' as const }] : []),
		...stops.map((s) => ({ lon: s.lon, lat: s.lat, mark: String(s.seq), kind: 'stop' as const })),
		...(req ? [{ lon: req.end.lon, lat: req.end.lat, mark: '终', kind: 'end' as const }] : [])
	];
	// 186 mm × 110 mm at 96 px/in
	return { visit, stops, map: sheetMap(points, outlines, 703, 416) };
};
