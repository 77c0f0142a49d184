// GET: the audit log, newest first (admins). ?action=unmask|export|login…&user=<username>&limit=
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { auditRows, parseAuditFilter } from '$lib/server/access/audit';
import { api, jsonResponse } from '$lib/server/http/respond';

export const GET = api(async (event) => {
	requireUser(event, 'admin');
	const rows = await auditRows(await dbFor(event), parseAuditFilter(event.url.searchParams));
	return jsonResponse({ rows }, 200, { 'cache-control': 'no-store' });
});
