// GET /api/research/topics: the leader's saved 调研课题 (admins: all). POST: save one
// {topic, notes, settings, sites: [{gridCode, role: study|contrast, reason}]} → 201 {id, url, visitUrl}.
// Old URL: /api/research-plans (an alias).
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { listResearchTopics, parseResearchTopic, saveResearchTopic } from '$lib/server/research/topics';
import { api, jsonResponse } from '$lib/server/http/respond';

export const GET = api(async (event) => {
	const user = requireUser(event, 'leader', 'admin');
	return jsonResponse({ topics: await listResearchTopics(await dbFor(event), user.role === 'admin' ? null : user.id) });
});

export const POST = api(async (event) => {
	const user = requireUser(event, 'leader', 'admin');
	const body = await event.request.json().catch(() => null);
	const id = await saveResearchTopic(await dbFor(event), user.id, parseResearchTopic(body));
	return jsonResponse({ id, url: `/research/${id}`, visitUrl: `/visits/new?topic=${id}` }, 201);
});
