// KPI targets (目标值). GET: each configurable KPI's target in force and its default (percent);
// PUT {<kpi>: percent | null}: change some (admins; null goes back to the default), all or none.
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { readJson } from '$lib/server/http/body';
import { listTargets, parseTargetChanges, saveTargets } from '$lib/server/kpi/targets';

export const GET = api(async (event) => {
	requireUser(event);
	return jsonResponse({ targets: await listTargets(await dbFor(event)) });
});

export const PUT = api(async (event) => {
	const admin = requireUser(event, 'admin');
	const changes = parseTargetChanges(await readJson(event.request));
	return jsonResponse({ targets: await saveTargets(await dbFor(event), admin, changes) });
});
