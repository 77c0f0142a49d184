// GET /api/visits/:id/export/gpx | kml — the route for navigation apps and GIS tools.
import { enumParam, intParam } from '$lib/domain/apierror';
import { toGpx, toKml } from '$lib/domain/routeexport';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { recordExport } from '$lib/server/access/audit';
import { api } from '$lib/server/http/respond';
import { getVisit, recordedStops } from '$lib/server/visits/store';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const id = intParam(event.params.id, 'id', '走访编号', 1, 2 ** 31);
	const format = enumParam(event.params.format, 'format', '导出格式', ['gpx', 'kml'] as const);
	const db = await dbFor(event);
	const v = await getVisit(db, user, id);
	const stops = (await recordedStops(db, id)).map((s) => ({ name: `${s.seq}. ${s.name}`, lon: s.lon, lat: s.lat, note: [s.arrive && `${s.arrive} 到达`, s.purpose].filter(Boolean).join('，') }));
	// start and end come from the itinerary; a visit recorded without one is its stops alone
	const req = v.itinerary?.request;
	const points = req ? [req.start, ...stops, req.end] : stops;
	const route = { title: `${v.planned_date} ${v.title}`, points };
	await recordExport(db, user.id, `visit-${id}.${format}`, points.length);
	const text = format === 'gpx' ? toGpx(route) : toKml(route);
	const type = format === 'gpx' ? 'application/gpx+xml' : 'application/vnd.google-earth.kml+xml';
	return new Response(text, { headers: { 'content-type': `${type}; charset=utf-8`, 'content-disposition': `attachment; filename="visit-${id}.${format}"` } });
});
