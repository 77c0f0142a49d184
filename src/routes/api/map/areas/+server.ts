// The administrative tree as a flat list: [{code, name, level, parent, bbox}].
import { ready } from '$lib/server/database';
import { areaList } from '$lib/server/queries/areas';
import { api, jsonResponse } from '$lib/server/queries/http';

export const GET = api(async () => jsonResponse(await areaList(await ready())));
