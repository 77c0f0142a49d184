// The administrative tree as a flat list: [{code, name, level, parent, bbox}].
import { dbFor } from '$lib/server/access/request';
import { areaList } from '$lib/server/queries/areas';
import { api, jsonResponse } from '$lib/server/http/respond';

export const GET = api(async ({ locals }) => jsonResponse(await areaList(await dbFor({ locals }))));
