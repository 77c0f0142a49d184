// POST: 发现 — a hazard reported from the field (type, severity, title, point or building, photos as
// data URLs); Idempotency-Key makes a retry from the offline outbox safe.
import { badParam } from '$lib/domain/apierror';
import { parseNewHazard } from '$lib/domain/hazardinput';
import { parseIdempotencyKey } from '$lib/domain/requestinput';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { checkReportRate } from '$lib/server/access/limits';
import { api, jsonResponse } from '$lib/server/http/respond';
import { readJson } from '$lib/server/http/body';
import { photoFromDataUrl } from '$lib/server/requests/http';
import type { Photo } from '$lib/server/requests/report';
import { reportHazard } from '$lib/server/hazards/report';

export const POST = api(async (event) => {
	const user = requireUser(event, 'admin', 'grid_manager', 'leader');
	await checkReportRate(await dbFor(event), user.id, event.getClientAddress());
	const body = (await readJson(event.request)) as Record<string, unknown>;
	const input = parseNewHazard(body);
	if (body.photos !== undefined && body.photos !== null && !Array.isArray(body.photos)) throw badParam('photos', '照片（photos）必须是 data:image/…;base64, 图片的数组');
	const photos = ((body.photos as unknown[] | undefined) ?? []).map((raw) => photoFromDataUrl(raw, 'photos')).filter((p): p is Photo => p !== null);
	const key = parseIdempotencyKey(event.request.headers.get('idempotency-key'));
	const created = await reportHazard(await dbFor(event), user, input, photos, key);
	return jsonResponse(created, created.replayed ? 200 : 201, { etag: `"${created.version}"`, location: `/api/hazards/${created.id}` });
});
