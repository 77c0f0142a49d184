// GET: my notices (通知), newest first, with the unread count. ?limit=1–100 (20), ?before=<id> for
// the next page, ?unread=1 for unread ones only. Deadline notices are written by a periodic job
// (src/lib/server/notifications/deadlineJob.ts), not here: a read writes nothing.
import { intParam } from '$lib/domain/apierror';
import { NOTICE_PAGE_MAX } from '$lib/domain/notices';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api, jsonResponse } from '$lib/server/http/respond';
import { listNotices } from '$lib/server/notifications/notices';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const q = event.url.searchParams;
	const limit = q.has('limit') ? intParam(q.get('limit'), 'limit', '每页条数', 1, NOTICE_PAGE_MAX) : 20;
	const before = q.has('before') ? intParam(q.get('before'), 'before', '通知编号', 1, Number.MAX_SAFE_INTEGER) : null;
	const db = await dbFor(event);
	const page = await listNotices(db, user.id, { limit, before, unreadOnly: q.get('unread') === '1' });
	return jsonResponse(page, 200, { 'cache-control': 'private, no-store' });
});
