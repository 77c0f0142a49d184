// Server-sent events for the big screen. Each event carries `id:` (live_events.id), so a browser
// that reconnects sends Last-Event-ID and gets what it missed replayed from the database before
// the live stream resumes; the page also dedupes by id, so an overlap is harmless.
import type { Queryable } from '../db/client';
import { isStopping, onShutdown } from '../lifecycle';
import { liveEventFor, type LiveViewerScope } from '../../domain/livefilter';
import { eventsAfter, type LiveEvent, type LiveHub } from './hub';
import { sseOpened } from '../ops/metrics';

export interface SseOptions {
	/** ms between `ping` events: the page treats 3 missed pings as a dead connection */
	pingMs?: number;
	/** most events replayed on reconnect; beyond that the page is told to reload its snapshot */
	replayLimit?: number;
}

/** The viewer's scope as liveEventFor() needs it, read once when a stream opens. */
export async function liveViewerScope(db: Queryable, userId: number): Promise<LiveViewerScope> {
	const [u] = await db.sql<{ role: string; jurisdiction_code: string | null; department_id: number | null; grids: string[] | null; active: boolean }>`
		SELECT u.role, u.jurisdiction_code, u.department_id, u.active,
		       (SELECT array_agg(g.grid_code ORDER BY g.grid_code) FROM user_grids g WHERE g.user_id = u.id) AS grids
		FROM users u WHERE u.id = ${userId}`;
	if (!u || !u.active) return { role: 'none', jurisdiction: null, grids: [], departmentId: null, userId: null };
	return { role: u.role, jurisdiction: u.jurisdiction_code, grids: u.grids ?? [], departmentId: u.department_id, userId };
}

const enc = new TextEncoder();

export function frame(e: LiveEvent | { id: number }): string {
	return `id: ${e.id}\nevent: live\ndata: ${JSON.stringify(e)}\n\n`;
}

/** The id a client last saw: Last-Event-ID header first (browser reconnect), else ?after=. */
export function resumeId(request: Request, url: URL): number | null {
	const raw = request.headers.get('last-event-id') ?? url.searchParams.get('after');
	if (raw === null || raw === '') return null;
	const n = Number(raw);
	return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export function sseResponse(db: Queryable, hub: LiveHub, scope: LiveViewerScope, after: number | null, o: SseOptions = {}): Response {
	const pingMs = o.pingMs ?? 15_000;
	const replayLimit = o.replayLimit ?? 1000;
	let cleanup = () => {};
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			// opened while the server is stopping: the 'streams' closers have already run
			if (isStopping()) return controller.close();
			let open = true;
			let sentId = after ?? hub.latest;
			const send = (text: string) => {
				if (!open) return;
				try {
					controller.enqueue(enc.encode(text));
				} catch {
					cleanup();
				}
			};
			// live events that arrive while the replay query runs wait here, then go out in order
			let pending: LiveEvent[] | null = [];
			// every event advances sentId (the client's resume point), only the viewer's are sent
			const emit = (e: LiveEvent) => {
				sentId = e.id;
				const mine = liveEventFor(e, scope);
				if (mine) send(frame(mine));
			};
			const unsubscribe = hub.subscribe((e) => {
				if (pending) pending.push(e);
				else if (e.id > sentId) emit(e);
			});
			const ping = setInterval(() => send(`event: ping\ndata: {"t":${Date.now()},"last":${sentId}}\n\n`), pingMs);
			// a stream never ends by itself: at shutdown it is closed at once (the page reconnects
			// with Last-Event-ID to whichever server comes up), so it does not hold the drain
			const unregister = onShutdown('streams', () => cleanup());
			const closed = sseOpened();
			cleanup = () => {
				if (!open) return;
				open = false;
				closed();
				clearInterval(ping);
				unsubscribe();
				unregister();
				try {
					controller.close();
				} catch {
					// already closed by the client
				}
			};
			send(`retry: 2000\n\n`);
			if (after !== null && after < hub.latest) {
				const missed = await eventsAfter(db, after, replayLimit + 1).catch(() => []);
				if (missed.length > replayLimit) send(`event: resync\ndata: {"reason":"too_many_missed"}\n\n`);
				for (const e of missed.slice(0, replayLimit)) emit(e);
			}
			for (const e of pending) if (e.id > sentId) emit(e);
			pending = null;
			send(`event: hello\ndata: {"t":${Date.now()},"last":${sentId}}\n\n`);
		},
		cancel() {
			cleanup();
		}
	});
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache, no-transform',
			connection: 'keep-alive',
			'x-accel-buffering': 'no'
		}
	});
}
