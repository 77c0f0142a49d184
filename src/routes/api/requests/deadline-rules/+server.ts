// 时限 rules per category and priority. GET: all of them; PUT {categoryCode, priority,
// acceptWorkingDays, resolveWorkingDays, whistleReportHours}: change one (admins).
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { listRules, saveRule } from '$lib/server/requests/deadlineRules';
import { readJson } from '$lib/server/http/body';

export const GET = api(async (event) => {
	requireUser(event);
	return jsonResponse({ rules: await listRules(await dbFor(event)) });
});

export const PUT = api(async (event) => {
	requireUser(event, 'admin');
	return jsonResponse(await saveRule(await dbFor(event), await readJson(event.request)));
});
