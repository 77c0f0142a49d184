// POST {ids: [..]} or {all: true}: marks my notices read; answers {marked, unread}. Another user's
// ids change nothing (row-level security: only one's own rows are visible).
import { parseReadRequest } from '$lib/domain/notices';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { readJson } from '$lib/server/http/body';
import { api, jsonResponse } from '$lib/server/http/respond';
import { markRead, unreadCount } from '$lib/server/notifications/notices';

export const POST = api(async (event) => {
	const user = requireUser(event);
	const which = parseReadRequest(await readJson(event.request));
	const db = await dbFor(event);
	const result = await db.transaction(async (tx) => ({ marked: await markRead(tx, user.id, which), unread: await unreadCount(tx, user.id) }));
	return jsonResponse(result);
});
