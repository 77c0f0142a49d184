// GET: the big screen's live stream (text/event-stream). Last-Event-ID or ?after=<id> replays what
// the client missed. Events carry codes, categories, grids and points only (0006_live.sql), and
// only those the viewer may see (src/lib/domain/livefilter.ts; the screen gets aggregates).
import { requireUser } from '$lib/server/auth/user';
import { ready } from '$lib/server/db/database';
import { liveHub } from '$lib/server/live';
import { liveViewerScope, resumeId, sseResponse } from '$lib/server/live/sse';
import { api } from '$lib/server/http/respond';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const db = await ready();
	// each stream hears only what its viewer may see: the scope is read once, here
	const scope = await liveViewerScope(db, user.id);
	// ?ping=<ms> (1000–60000): how often the page hears from an idle stream
	const ping = Math.min(60_000, Math.max(1000, Number(event.url.searchParams.get('ping')) || 15_000));
	return sseResponse(db, await liveHub(), scope, resumeId(event.request, event.url), { pingMs: ping });
});
