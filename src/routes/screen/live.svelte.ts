// The screen's end of the live stream: one EventSource at a time, reopened by us (not left to the
// browser, which gives up for good after an HTTP error) with a growing delay, resumed after the
// last id seen, events deduplicated by id. A connection that stays silent for three pings is
// treated as dead: a wall display cannot rely on the network telling it.

import type { LiveEvent } from '$lib/domain/livefilter';

export interface LiveOptions {
	/** the stream endpoint */
	url?: string;
	/** ms between the server's pings; silence for 3 of them means the connection is dead */
	pingMs?: number;
	/** ids remembered for deduplication */
	remember?: number;
	onEvent: (e: LiveEvent) => void;
	/** after a reconnect (or a server 'resync'): refetch the aggregates */
	onResync: () => void;
}

/** A fixed-size memory of the last ids seen. */
export class IdRing {
	private readonly ids: Float64Array;
	private readonly set = new Set<number>();
	private next = 0;
	constructor(size: number) {
		this.ids = new Float64Array(size).fill(-1);
	}
	/** true when `id` is new (and remembers it) */
	add(id: number): boolean {
		if (this.set.has(id)) return false;
		const old = this.ids[this.next];
		if (old >= 0) this.set.delete(old);
		this.ids[this.next] = id;
		this.next = (this.next + 1) % this.ids.length;
		this.set.add(id);
		return true;
	}
	get size(): number {
		return this.set.size;
	}
}

export class LiveConnection {
	/** 'connecting' before the first hello, 'live' while streaming, 'stale' while disconnected */
	state = $state<'connecting' | 'live' | 'stale'>('connecting');
	/** when data last arrived from the server (ms since epoch) */
	freshAt = $state(Date.now());
	reconnects = $state(0);
	lastId = 0;
	private source: EventSource | null = null;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private watchdog: ReturnType<typeof setInterval> | null = null;
	private heardAt = Date.now();
	private failures = 0;
	private hadConnection = false;
	private readonly seen: IdRing;
	private stopped = false;

	constructor(private readonly o: LiveOptions, startAfter: number) {
		this.lastId = startAfter;
		this.seen = new IdRing(o.remember ?? 2000);
	}

	start(): void {
		this.stopped = false;
		this.open();
		const ping = this.o.pingMs ?? 15_000;
		this.watchdog = setInterval(() => {
			if (this.source && Date.now() - this.heardAt > ping * 3) this.fail();
		}, Math.min(ping, 5000));
	}

	stop(): void {
		this.stopped = true;
		this.source?.close();
		this.source = null;
		if (this.retryTimer) clearTimeout(this.retryTimer);
		if (this.watchdog) clearInterval(this.watchdog);
	}

	/** marks data as fresh (a successful aggregate fetch counts too) */
	touch(): void {
		this.freshAt = Date.now();
	}

	private open(): void {
		const base = this.o.url ?? '/api/live';
		const sep = base.includes('?') ? '&' : '?';
		const es = new EventSource(`${base}${sep}after=${this.lastId}`);
		this.source = es;
		this.heardAt = Date.now();
		es.addEventListener('hello', () => {
			this.heard();
			this.failures = 0;
			this.state = 'live';
			if (this.hadConnection) {
				this.reconnects++;
				this.o.onResync();
			}
			this.hadConnection = true;
		});
		es.addEventListener('ping', () => this.heard());
		es.addEventListener('resync', () => this.o.onResync());
		es.addEventListener('live', (m) => {
			this.heard();
			let e: LiveEvent;
			try {
				e = JSON.parse((m as MessageEvent).data);
			} catch {
				return;
			}
			if (e.id > this.lastId) this.lastId = e.id;
			if (this.seen.add(e.id)) this.o.onEvent(e);
		});
		es.onerror = () => this.fail();
	}

	private heard(): void {
		this.heardAt = Date.now();
		this.freshAt = this.heardAt;
	}

	private fail(): void {
		this.source?.close();
		this.source = null;
		if (this.stopped) return;
		this.state = 'stale';
		this.failures++;
		const delay = Math.min(1000 * 2 ** Math.min(this.failures - 1, 4), 15_000);
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			if (!this.stopped) this.open();
		}, delay);
	}
}
