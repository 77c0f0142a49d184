// The soak injector of the browser tests (load and replay): synthetic live events that the page
// feeds through the same handler as the stream's, so a test can pour hundreds of arrivals onto
// the wall and watch the feed, the ticker and the map dots stay bounded. Only reachable through
// the test hooks (src/lib/map/testhooks.ts); a user's page never calls it.
import type { LiveEvent } from '$lib/domain/livefilter';

const KINDS: LiveEvent['kind'][] = ['request', 'request', 'request', 'status', 'hazard', 'whistle'];

/**
 * `n` events, numbered from `at`: ids far above real ones (they never collide with the stream's),
 * all in `grid`, placed at random within 0.05° of the south-west corner of `bbox`.
 */
export function soakEvents(n: number, at: number, grid: string, bbox: readonly number[] | undefined): LiveEvent[] {
	const events: LiveEvent[] = [];
	for (let i = 0; i < n; i++) {
		events.push({
			id: 1e12 + at + i, at: new Date().toISOString(), kind: KINDS[i % KINDS.length], code: `SOAK${at}-${i}`, cat: 'x', catName: '压测/回放',
			grid, channel: 'grid', severity: 4, status: 'open', type: 'gas',
			lon: (bbox?.[0] ?? 0) + Math.random() * 0.05, lat: (bbox?.[1] ?? 0) + Math.random() * 0.05
		});
	}
	return events;
}
