// 时限 rules per category and priority. GET: all of them; PUT {categoryCode, priority,
// acceptWorkingDays, resolveWorkingDays, whistleReportHours}: change one (admins).
import { requireUser } from '$lib/server/auth';
import { ready } from '$lib/server/database';
import { api, jsonResponse } from '$lib/server/queries/http';
import { listRules, saveRule } from '$lib/server/requests/deadlineRules';
import { readJson } from '$lib/server/requests/http';

export const GET = api(async (event) => {
	requireUser(event);
	return jsonResponse({ rules: await listRules(await ready()) });
});

export const PUT = api(async (event) => {
	requireUser(event, 'admin');
	return jsonResponse(await saveRule(await ready(), await readJson(event.request)));
});
