// POST {householdId, met?, tags?, needs?, note?, visitedAt?}: record a 敲门行动 visit. With an
// Idempotency-Key header (an offline outbox, a retry) the same key and body records it once: 201
// the first time, 200 with the same record after; the same key with another body is a 422.
import { parseDoorKnock } from '$lib/domain/doorknock';
import { parseIdempotencyKey } from '$lib/domain/requestinput';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { recordDoorKnock } from '$lib/server/requests/households';
import { readJson } from '$lib/server/http/body';

export const POST = api(async (event) => {
	const user = requireUser(event, 'admin', 'grid_manager', 'leader');
	const input = parseDoorKnock(await readJson(event.request), { metRequired: false });
	const key = parseIdempotencyKey(event.request.headers.get('idempotency-key'));
	const knock = await recordDoorKnock(await dbFor(event), user, input, key);
	return jsonResponse(knock, knock.replayed ? 200 : 201);
});
