// POST {clientId, startedAt, endedAt, fixes: [{t, lon, lat, acc}], note?}: a grid worker's finished
// 巡查, sent from the phone (or its outbox, once the network is back). 201 the first time; 200 with
// the same record when the same clientId comes again.
import { parsePatrol } from '$lib/domain/patrol';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { readJson } from '$lib/server/http/body';
import { api, jsonResponse } from '$lib/server/http/respond';
import { recordPatrol } from '$lib/server/patrols/patrols';

export const POST = api(async (event) => {
	const user = requireUser(event, 'grid_manager');
	const input = parsePatrol((await readJson(event.request)) as Record<string, unknown>);
	const patrol = await recordPatrol(await dbFor(event), user.id, input);
	return jsonResponse(patrol, patrol.replayed ? 200 : 201);
});
