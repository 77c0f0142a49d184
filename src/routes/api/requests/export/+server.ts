// GET ?format=xlsx|csv&<the list's filters>: the current filtered list as a file.
import { enumParam } from '$lib/domain/apierror';
import { cstDay, parseRequestFilter } from '$lib/domain/requestfilter';
import { requireUser } from '$lib/server/auth/user';
import { visibleGridCodes } from '$lib/server/auth/visibility';
import { dbFor } from '$lib/server/access/request';
import { recordExport } from '$lib/server/access/audit';
import { api } from '$lib/server/http/respond';
import { csvBody, xlsxBody } from '$lib/server/requests/export';
import { listRequests } from '$lib/server/requests/list';

const MAX_ROWS = 10_000;

export const GET = api(async (event) => {
	const user = requireUser(event);
	const db = await dbFor(event);
	const format = enumParam(event.url.searchParams.get('format') ?? 'xlsx', 'format', '导出格式', ['xlsx', 'csv'] as const);
	const filter = { ...parseRequestFilter(event.url.searchParams), limit: MAX_ROWS, offset: 0 };
	const { rows } = await listRequests(db, filter, await visibleGridCodes(db, user));
	await recordExport(db, user.id, `requests.${format}`, rows.length, { query: event.url.search });
	const name = encodeURIComponent(`诉求清单-${cstDay(new Date())}.${format}`);
	const disposition = `attachment; filename="requests.${format}"; filename*=UTF-8''${name}`;
	if (format === 'csv') return new Response(csvBody(rows), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': disposition } });
	const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
	return new Response((await xlsxBody(rows)) as BodyInit, { headers: { 'content-type': type, 'content-disposition': disposition } });
});
