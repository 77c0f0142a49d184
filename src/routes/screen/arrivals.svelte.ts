// What the live stream brings to the wall: each event as a dot on the map; new requests in the
// feed; serious new hazards and new 吹哨 in the ticker. The connection itself (reconnects,
// dedup, staleness) is LiveConnection's (live.svelte.ts); this is what the screen does with it.
import type { LiveEvent } from '$lib/domain/livefilter';
import { CHANNEL, HAZARD_TYPE } from '$lib/domain/labels';
import { pushBounded, type FeedItem } from './feed';
import { LiveConnection } from './live.svelte';
import type { LivePoint } from './points';

/** A ticker line raised by a live event (the aggregates bring the others). */
export interface LiveAlert { key: string; kind: string; text: string; place: string }

/** The parts of the screen's map an arrival draws on. */
export interface ArrivalMap {
	addPoint(p: LivePoint): void;
	gridCentre(code: string): [number, number] | null;
}

export interface ArrivalOptions {
	/** the stream endpoint, with the page's ?ping */
	url: string;
	pingMs: number;
	/** the last event the page's aggregates include: the stream resumes after it */
	after: number;
	/** the place name of a grid code, for the feed and the ticker */
	place: (grid: string) => string;
	map: () => ArrivalMap | undefined;
	/** after each arrival: the aggregates are behind now */
	onArrival: () => void;
	/** after a reconnect: events may have been missed, refetch the aggregates */
	onResync: () => void;
}

const SHOWN = 6;

export class Arrivals {
	/** new requests, newest first */
	feed = $state<FeedItem[]>([]);
	/** ticker lines of live events, newest first */
	alerts = $state<LiveAlert[]>([]);
	readonly connection: LiveConnection;

	constructor(private readonly o: ArrivalOptions) {
		this.connection = new LiveConnection({ url: o.url, pingMs: o.pingMs, onEvent: (e) => this.receive(e), onResync: o.onResync }, o.after);
	}

	start(): void {
		this.connection.start();
	}

	stop(): void {
		this.connection.stop();
	}

	/** One event, from the stream or from the soak injector. */
	receive(e: LiveEvent): void {
		const grid = String(e.grid ?? '');
		const map = this.o.map();
		// events reach the screen without a point (aggregates only): the dot goes to the grid's centre
		const at = typeof e.lon === 'number' && typeof e.lat === 'number' ? [e.lon, e.lat] : map?.gridCentre(grid);
		if (at) map?.addPoint({ id: e.id, lon: at[0], lat: at[1], kind: e.kind, born: Date.now() });
		const place = this.o.place(grid);
		if (e.kind === 'request') {
			this.feed = pushBounded(this.feed, { key: e.id, gridCode: grid, category: String(e.catName ?? e.cat), grid: place, channel: CHANNEL[String(e.channel)] ?? '', time: Date.parse(e.at), urgent: e.priority === 'urgent' }, SHOWN);
		} else if (e.kind === 'hazard' && Number(e.severity) >= 3 && e.status === 'open') {
			this.alerts = pushBounded(this.alerts, { key: `live:${e.id}`, kind: 'hazard', text: `新发现重大隐患：${HAZARD_TYPE[String(e.type)] ?? e.type}`, place }, SHOWN);
		} else if (e.kind === 'whistle') {
			this.alerts = pushBounded(this.alerts, { key: `live:${e.id}`, kind: 'whistle', text: '新吹哨，待部门报到', place }, SHOWN);
		}
		this.o.onArrival();
	}
}
