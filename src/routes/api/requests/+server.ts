// GET: the filtered request list (JSON). POST: 点单 — a new request; Idempotency-Key makes a retry safe.
import { parseIdempotencyKey, parseNewRequest } from '$lib/domain/requestinput';
import { parseRequestFilter } from '$lib/domain/requestfilter';
import { requireUser } from '$lib/server/auth/user';
import { visibleGridCodes } from '$lib/server/auth/visibility';
import { dbFor } from '$lib/server/access/request';
import { checkReportRate } from '$lib/server/access/limits';
import { api, jsonResponse } from '$lib/server/http/respond';
import { listRequests } from '$lib/server/requests/list';
import { readJson } from '$lib/server/http/body';
import { photosFromBody } from '$lib/server/requests/http';
import { reportRequest } from '$lib/server/requests/report';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const db = await dbFor(event);
	const filter = parseRequestFilter(event.url.searchParams);
	return jsonResponse(await listRequests(db, filter, await visibleGridCodes(db, user)));
});

export const POST = api(async (event) => {
	const user = requireUser(event, 'admin', 'grid_manager', 'leader', 'department_staff', 'mediator');
	await checkReportRate(await dbFor(event), user.id, event.getClientAddress());
	const body = await readJson(event.request);
	const input = parseNewRequest(body);
	const key = parseIdempotencyKey(event.request.headers.get('idempotency-key'));
	const created = await reportRequest(await dbFor(event), user, input, photosFromBody(body), key);
	return jsonResponse(created, created.replayed ? 200 : 201, { etag: `"${created.version}"`, location: `/api/requests/${created.id}` });
});
