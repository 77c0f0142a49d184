// 督办 of one request. GET: its 延期, 督办, 催办 and merged duplicates; POST {note}: the leader
// starts following it; DELETE: stops. Refusals are structured JSON naming the field.
import { intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { readJson } from '$lib/server/http/body';
import { caseInfo, endSupervision, supervise } from '$lib/server/requests/cases';

const idOf = (raw: string) => intParam(raw, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);

export const GET = api(async (event) => {
	requireUser(event);
	return jsonResponse(await caseInfo(await dbFor(event), idOf(event.params.id!)));
});

export const POST = api(async (event) => {
	const user = requireUser(event, 'admin', 'leader');
	const id = idOf(event.params.id!);
	await supervise(await dbFor(event), user, id, (await readJson(event.request)).note);
	return jsonResponse({ id, supervised: true }, 201);
});

export const DELETE = api(async (event) => {
	const user = requireUser(event, 'admin', 'leader');
	const id = idOf(event.params.id!);
	await endSupervision(await dbFor(event), user, id);
	return jsonResponse({ id, supervised: false });
});
