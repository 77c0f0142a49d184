// One LISTEN 'live' per process, fanned out to every open screen. The database triggers of
// 0006_live.sql write each event to live_events and NOTIFY its JSON; the id there is the SSE id.
// When the listening connection comes back after a drop (postgres.js re-listens by itself), the
// hub reads what it missed from live_events, so subscribers see every event once, in id order.
import type { LiveEvent } from '../../domain/livefilter';
import { describeError, type Db, type Queryable } from '../db/client';

export type { LiveEvent };

export type Subscriber = (e: LiveEvent) => void;

export interface HubOptions {
	/** NOTIFY channel of 0006_live.sql */
	channel?: string;
	/** live_events rows older than this many hours are deleted (hourly) */
	keepHours?: number;
}

/** Events after `afterId`, oldest first, at most `limit`. */
export async function eventsAfter(db: Queryable, afterId: number, limit = 500): Promise<LiveEvent[]> {
	const rows = await db.sql<{ id: number; at: Date; kind: LiveEvent['kind']; payload: Record<string, unknown> }>`
		SELECT id, at, kind, payload FROM live_events WHERE id > ${afterId} ORDER BY id LIMIT ${limit}`;
	return rows.map(toEvent);
}

export async function latestEventId(db: Queryable): Promise<number> {
	const [r] = await db.sql<{ id: number | null }>`SELECT max(id) AS id FROM live_events`;
	return Number(r?.id ?? 0);
}

function toEvent(r: { id: number; at: Date | string; kind: LiveEvent['kind']; payload: Record<string, unknown> }): LiveEvent {
	const at = r.at instanceof Date ? r.at.toISOString() : new Date(r.at).toISOString();
	return { ...r.payload, id: Number(r.id), at, kind: r.kind };
}

export class LiveHub {
	private readonly subscribers = new Set<Subscriber>();
	private lastId = 0;
	private unlisten: (() => Promise<void>) | null = null;
	private catchingUp: Promise<void> = Promise.resolve();
	private pruneTimer: ReturnType<typeof setInterval> | null = null;
	private readonly channel: string;
	private readonly keepHours: number;
	/** events received and delivered since start (for the soak figures) */
	delivered = 0;

	constructor(private readonly db: Db, o: HubOptions = {}) {
		this.channel = o.channel ?? 'live';
		this.keepHours = o.keepHours ?? 72;
	}

	async start(): Promise<void> {
		if (this.unlisten) return;
		this.lastId = await latestEventId(this.db);
		let first = true;
		this.unlisten = await this.db.listen(this.channel, (payload) => this.receive(payload), () => {
			// postgres.js calls this again after re-listening on a new connection
			if (!first) this.scheduleCatchUp();
			first = false;
		});
		this.pruneTimer = setInterval(() => void this.prune().catch(() => {}), 3600_000);
		this.pruneTimer.unref?.();
	}

	async stop(): Promise<void> {
		if (this.pruneTimer) clearInterval(this.pruneTimer);
		this.pruneTimer = null;
		const u = this.unlisten;
		this.unlisten = null;
		await u?.();
	}

	get latest(): number {
		return this.lastId;
	}

	get size(): number {
		return this.subscribers.size;
	}

	subscribe(fn: Subscriber): () => void {
		this.subscribers.add(fn);
		return () => this.subscribers.delete(fn);
	}

	private receive(payload: string): void {
		let e: LiveEvent;
		try {
			e = JSON.parse(payload);
		} catch {
			return;
		}
		if (typeof e.id !== 'number') return;
		// an id that skips ahead means notifications were lost (or a concurrent writer committed out
		// of order): read the gap from the table first
		if (e.id > this.lastId + 1) {
			this.scheduleCatchUp();
			return;
		}
		this.deliver(e);
	}

	private deliver(e: LiveEvent): void {
		if (e.id <= this.lastId) return;
		this.lastId = e.id;
		this.delivered++;
		for (const fn of this.subscribers) {
			try {
				fn(e);
			} catch (err) {
				console.error('[live] subscriber failed:', err);
			}
		}
	}

	/**
	 * Reads the missed events after those already queued. A failed read (the database went away
	 * again) is logged and left for the next event or re-listen, which finds the same gap: left
	 * unhandled, the rejection would end the process.
	 */
	private scheduleCatchUp(): void {
		this.catchingUp = this.catchingUp
			.then(() => this.catchUp())
			.catch((e) => console.error('[live] catching up failed, retried with the next event:', describeError(e)));
	}

	private async catchUp(): Promise<void> {
		for (;;) {
			const batch = await eventsAfter(this.db, this.lastId, 500);
			for (const e of batch) this.deliver(e);
			if (batch.length < 500) return;
		}
	}

	private async prune(): Promise<void> {
		// a definer function: the serving role may read the feed, not delete from it (0011)
		await this.db.sql`SELECT live_prune(${this.keepHours})`;
	}
}
