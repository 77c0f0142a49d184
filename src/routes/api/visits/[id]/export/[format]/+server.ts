// GET /api/visits/:id/export/gpx | kml — the route for navigation apps and GIS tools.
import { enumParam, intParam } from '$lib/domain/apierror';
import { toGpx, toKml } from '$lib/domain/routeexport';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { recordExport } from '$lib/server/access/audit';
import { api } from '$lib/server/http/respond';
import { sheetStops } from '$lib/server/visits/sheet';
import { getVisit } from '$lib/server/visits/store';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const id = intParam(event.params.id, 'id', '走访编号', 1, 2 ** 31);
	const format = enumParam(event.params.format, 'format', '导出格式', ['gpx', 'kml'] as const);
	const db = await dbFor(event);
	const v = await getVisit(db, user, id);
	const req = v.plan.request;
	const stops = await sheetStops(db, id);
	const points = [req.start, ...stops.map((s) => ({ name: `${s.seq}. ${s.name}`, lon: s.lon, lat: s.lat, note: [s.arrive && `${s.arrive} 到达`, s.purpose].filter(Boolean).join('，') })), req.end];
	const route = { title: `${v.planned_date} ${v.title}`, points };
	await recordExport(db, user.id, `visit-${id}.${format}`, points.length);
	const text = format === 'gpx' ? toGpx(route) : toKml(route);
	const type = format === 'gpx' ? 'application/gpx+xml' : 'application/vnd.google-earth.kml+xml';
	return new Response(text, { headers: { 'content-type': `${type}; charset=utf-8`, 'content-disposition': `attachment; filename="visit-${id}.${format}"` } });
});
