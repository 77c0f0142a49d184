// 延期 of one request. POST {days, reason}: the handling department asks (201). PUT {decision:
// 'approved'|'refused', reason} with If-Match: "<version>" (approval is a move of the loop): the
// command centre decides. Refusals are structured JSON naming the field (domain/apierror.ts).
import { badParam, intParam } from '$lib/domain/apierror';
import { parseExtensionAsk } from '$lib/domain/cases';
import { parseVersion } from '$lib/domain/requestinput';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { readJson } from '$lib/server/http/body';
import { approveExtension, askExtension, caseInfo, refuseExtension } from '$lib/server/requests/cases';

export const GET = api(async (event) => {
	requireUser(event);
	const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
	return jsonResponse({ extensions: (await caseInfo(await dbFor(event), id)).extensions });
});

export const POST = api(async (event) => {
	const user = requireUser(event, 'admin', 'department_staff');
	const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
	const ask = parseExtensionAsk(await readJson(event.request));
	return jsonResponse({ id: await askExtension(await dbFor(event), user, id, ask), status: 'pending' }, 201);
});

export const PUT = api(async (event) => {
	const user = requireUser(event, 'admin');
	const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
	const b = await readJson(event.request);
	const db = await dbFor(event);
	if (b.decision === 'approved') {
		const version = parseVersion(event.request.headers.get('if-match') ?? b.version, event.request.headers.get('if-match') ? 'If-Match' : 'version');
		const res = await approveExtension(db, user, id, version, typeof b.reason === 'string' ? b.reason.trim() || null : null);
		return jsonResponse(res, 200, { etag: `"${res.version}"` });
	}
	if (b.decision === 'refused') {
		await refuseExtension(db, user, id, b.reason);
		return jsonResponse({ id, decision: 'refused' });
	}
	throw badParam('decision', '审批结果（decision）必须是 approved（批准）或 refused（不予延期）');
});
