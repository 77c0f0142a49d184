// GET ?format=xlsx|csv&<the list's filters>: the current filtered list as a file, streamed whole.
import { enumParam } from '$lib/domain/apierror';
import { parseRequestFilter } from '$lib/domain/requestfilter';
import { requireUser } from '$lib/server/auth/user';
import { visibleGridCodes } from '$lib/server/auth/visibility';
import { dbFor } from '$lib/server/access/request';
import { exportRequestList } from '$lib/server/export/requestList';
import { api } from '$lib/server/http/respond';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const db = await dbFor(event);
	const format = enumParam(event.url.searchParams.get('format') ?? 'xlsx', 'format', '导出格式', ['xlsx', 'csv'] as const);
	const filter = parseRequestFilter(event.url.searchParams);
	const file = await exportRequestList(db, user.id, filter, await visibleGridCodes(db, user), format, { describe: event.url.search });
	return new Response(file.body, { headers: file.headers });
});
