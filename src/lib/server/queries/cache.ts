// In-memory response cache for the map API: PGlite needs ~1 s for 200 000 household rows, so a
// tile or GeoJSON document is built once per data version and then served from memory, gzipped
// ahead of time, with a strong ETag. Keys carry the data version, so stale entries simply stop
// being asked for and age out (LRU by bytes).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { countCacheLookup } from '../ops/metrics';

export interface Cached<M = unknown> {
	body: Uint8Array;
	gzip: Uint8Array;
	etag: string;
	type: string;
	/** what the endpoint needs besides the bytes (e.g. the row ids behind a point tile) */
	meta: M;
}

export function makeCached<M>(body: Uint8Array | string, type: string, meta: M): Cached<M> {
	const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
	const etag = `"${createHash('sha1').update(bytes).digest('base64url').slice(0, 22)}"`;
	return { body: bytes, gzip: gzipSync(bytes, { level: 6 }), etag, type, meta };
}

export class ResponseCache {
	private entries = new Map<string, { promise: Promise<Cached<any>>; bytes: number }>();
	private total = 0;

	/** @param maxBytes budget for raw + gzipped bodies, bytes; @param name the cache's label in /metrics */
	constructor(private maxBytes = 256 * 1024 * 1024, private readonly name = 'map') {}

	/** The entry under key, built by make() once even when requested concurrently. */
	get<M>(key: string, make: () => Promise<Cached<M>>): Promise<Cached<M>> {
		const hit = this.entries.get(key);
		countCacheLookup(this.name, !!hit);
		if (hit) {
			this.entries.delete(key); // re-insert: Map order is our LRU order
			this.entries.set(key, hit);
			return hit.promise;
		}
		const slot = { promise: make(), bytes: 0 };
		this.entries.set(key, slot);
		slot.promise.then(
			(c) => {
				if (this.entries.get(key) !== slot) return;
				slot.bytes = c.body.byteLength + c.gzip.byteLength;
				this.total += slot.bytes;
				this.evict();
			},
			() => this.entries.get(key) === slot && this.entries.delete(key)
		);
		return slot.promise;
	}

	clear(): void {
		this.entries.clear();
		this.total = 0;
	}

	private evict(): void {
		for (const [key, slot] of this.entries) {
			if (this.total <= this.maxBytes) break;
			this.entries.delete(key);
			this.total -= slot.bytes;
		}
	}
}

/** The one cache the map endpoints share. */
export const mapCache = new ResponseCache();
