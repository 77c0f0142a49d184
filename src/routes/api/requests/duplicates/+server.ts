// GET ?lon&lat&category: the grid at the point and nearby open requests of that category (可能重复).
import { badParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { gridAt, nearbyDuplicates } from '$lib/server/requests/report';

const coord = (raw: string | null, field: string, lo: number, hi: number) => {
	const n = Number(raw);
	if (raw === null || raw === '' || !Number.isFinite(n) || n < lo || n > hi) throw badParam(field, `${field} 必须是 ${lo}–${hi} 之间的数，收到“${raw ?? ''}”`);
	return n;
};

export const GET = api(async (event) => {
	requireUser(event);
	const q = event.url.searchParams;
	const lon = coord(q.get('lon'), 'lon', -180, 180);
	const lat = coord(q.get('lat'), 'lat', -90, 90);
	const db = await dbFor(event);
	const category = q.get('category');
	return jsonResponse({
		grid: await gridAt(db, lon, lat),
		duplicates: category ? await nearbyDuplicates(db, lon, lat, category) : []
	});
});
