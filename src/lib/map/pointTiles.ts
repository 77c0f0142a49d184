// Browser side of the binary point tiles: fetches the tiles covering the view at the tile zoom
// that follows the map (domain/aggregates.ts pointTileZoom; at most `concurrency` at a time),
// keeps every tile it has loaded, and concatenates those of the current tile zoom into flat
// arrays for one layer (tiles of two zooms overlap: drawing both would show points twice).
import { decodePoints, type DecodedTile, type PointLayer } from '$lib/domain/pointcodec';
import { toDisplayPositions, type DisplayCrs } from '$lib/domain/displayCrs';
import { POINT_TILE_ZOOM, tileKey, tilesCovering, type BBox, type Tile } from '$lib/domain/tiles';

export interface Combined {
	count: number;
	positions: Float64Array;
	attrs: Uint8Array;
	/** tiles in concatenation order, with the index of their first point */
	parts: { tile: Tile; start: number; count: number }[];
	version: string;
}

export class PointTileSet {
	private tiles = new Map<string, DecodedTile>();
	private pending = new Set<string>();
	private combinedCache: Combined | null = null;
	version = '';
	/** bytes received over the wire so far (Content-Length when the server gives it) */
	bytes = 0;
	/**
	 * The coordinates the map is drawn in. The tiles are WGS84 for every viewer (cached, ETagged);
	 * over a GCJ-02 base map each tile's positions are moved once, when decoded (1–2 µs a point;
	 * npm run bench -- --only basemap).
	 */
	crs: DisplayCrs = 'wgs84';
	/** the tile zoom whose tiles are drawn: the last one `load` was asked for, once the view's tiles at it have all arrived */
	zoom = POINT_TILE_ZOOM;
	/** the tile zoom the newest `load` asked for */
	private wantedZoom = POINT_TILE_ZOOM;

	constructor(
		readonly layer: PointLayer,
		private onChange: () => void,
		private concurrency = 4
	) {}

	/** Drops everything when the layer's data version changes. */
	setVersion(version: string): void {
		if (version === this.version) return;
		this.version = version;
		this.tiles.clear();
		this.combinedCache = null;
	}

	/**
	 * Loads the tiles at tile zoom z that cover bbox and are not loaded yet; resolves when all have
	 * arrived. A new tile zoom is drawn only once the view's tiles at it are all here: until then the
	 * previous zoom's points stay on the map (no blank view while zooming, and what was drawn is
	 * still what a tap picks).
	 */
	async load(bbox: BBox, z = POINT_TILE_ZOOM): Promise<void> {
		this.wantedZoom = z;
		const wanted = tilesCovering(bbox, z, 400).filter((t) => !this.tiles.has(tileKey(t)) && !this.pending.has(tileKey(t)));
		const queue = [...wanted];
		const worker = async () => {
			for (let t = queue.shift(); t; t = queue.shift()) await this.fetchTile(t);
		};
		await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
		// a later load (the map moved on) decides for itself
		if (this.wantedZoom === z && z !== this.zoom) {
			this.zoom = z;
			this.combinedCache = null;
			this.onChange();
		}
	}

	private async fetchTile(t: Tile): Promise<void> {
		const key = tileKey(t);
		const version = this.version;
		this.pending.add(key);
		try {
			const res = await fetch(`/api/map/tiles/${this.layer}/${key}?v=${encodeURIComponent(version)}`);
			if (!res.ok) throw new Error(`${this.layer} ${key}: HTTP ${res.status}`);
			const buf = await res.arrayBuffer();
			this.bytes += Number(res.headers.get('content-length')) || buf.byteLength;
			if (version !== this.version) return; // a newer version arrived meanwhile
			const tile = decodePoints(buf);
			toDisplayPositions(this.crs, tile.positions);
			this.tiles.set(key, tile);
			if (t.z !== this.zoom) return; // kept, drawn when its zoom is (load, above)
			this.combinedCache = null;
			this.onChange();
		} finally {
			this.pending.delete(key);
		}
	}

	get loading(): boolean {
		return this.pending.size > 0;
	}

	combined(): Combined {
		if (this.combinedCache) return this.combinedCache;
		const list = [...this.tiles.values()].filter((t) => t.tile.z === this.zoom);
		const count = list.reduce((n, t) => n + t.count, 0);
		const positions = new Float64Array(2 * count);
		const attrs = new Uint8Array(count);
		const parts: Combined['parts'] = [];
		let start = 0;
		for (const t of list) {
			positions.set(t.positions, 2 * start);
			attrs.set(t.attrs, start);
			parts.push({ tile: t.tile, start, count: t.count });
			start += t.count;
		}
		this.combinedCache = { count, positions, attrs, parts, version: this.version };
		return this.combinedCache;
	}
}

/** The tile and the index inside it of the point at `index` in the combined arrays. */
export function locate(c: Combined, index: number): { tile: Tile; index: number } | null {
	let lo = 0;
	let hi = c.parts.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const p = c.parts[mid];
		if (index < p.start) hi = mid - 1;
		else if (index >= p.start + p.count) lo = mid + 1;
		else return { tile: p.tile, index: index - p.start };
	}
	return null;
}
