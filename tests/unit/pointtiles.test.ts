// The browser's point-tile set (src/lib/map/pointTiles.ts) when the map changes tile zoom: the
// previous zoom's points stay drawn until the view's tiles at the new zoom have all arrived, so a
// zoom never blanks the map and a tap still finds what was drawn. fetch answers with real encoded
// tiles (domain/pointcodec.ts), one point at the centre of each, when the case lets it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodePoints } from '../../src/lib/domain/pointcodec';
import { tileBBox, type BBox, type Tile } from '../../src/lib/domain/tiles';
import { locate, PointTileSet } from '../../src/lib/map/pointTiles';

/** A tile of one household at its centre, as the tile endpoint sends it. */
function tileBody(t: Tile): ArrayBuffer {
	const [w, s, e, n] = tileBBox(t);
	const { bytes } = encodePoints('households', t, [(w + e) / 2], [(s + n) / 2], [0]);
	return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** fetch answering /api/map/tiles/households/z/x/y once `release()` is called (or at once when `held` is false). */
function tileServer() {
	const waiting: (() => void)[] = [];
	let held = false;
	const requested: string[] = [];
	vi.stubGlobal('fetch', async (url: string) => {
		const m = /\/tiles\/households\/(\d+)\/(\d+)\/(\d+)/.exec(url)!;
		const t = { z: +m[1], x: +m[2], y: +m[3] };
		requested.push(`${t.z}/${t.x}/${t.y}`);
		if (held) await new Promise<void>((r) => waiting.push(r));
		return new Response(tileBody(t), { status: 200 });
	});
	return {
		requested,
		hold: () => (held = true),
		release: () => {
			held = false;
			waiting.splice(0).forEach((r) => r());
		}
	};
}

// a view of about 2 km in the demo district
const VIEW: BBox = [112.93, 28.22, 112.95, 28.235];

afterEach(() => vi.unstubAllGlobals());

describe('point tiles across a change of tile zoom', () => {
	it('keeps drawing the previous zoom until the view at the new zoom has arrived, then draws only the new zoom', async () => {
		const server = tileServer();
		let changes = 0;
		const set = new PointTileSet('households', () => changes++);
		await set.load(VIEW, 14);
		const at14 = set.combined();
		expect(set.zoom).toBe(14);
		expect(at14.count).toBeGreaterThan(0);
		expect(at14.parts.every((p) => p.tile.z === 14)).toBe(true);

		server.hold();
		const loading = set.load(VIEW, 16);
		await new Promise((r) => setTimeout(r, 10));
		expect(set.loading).toBe(true);
		expect(set.zoom, 'still drawn at 14 while the z16 tiles travel').toBe(14);
		expect(set.combined(), 'the same points as drawn').toBe(at14);
		const changesBefore = changes;
		server.release();
		await loading;
		expect(set.zoom).toBe(16);
		const at16 = set.combined();
		expect(at16.parts.every((p) => p.tile.z === 16), 'z14 tiles overlap z16 ones: never both').toBe(true);
		expect(at16.count, 'z16 tiles are finer: more of them over the view').toBeGreaterThan(at14.count);
		expect(changes, 'the switch redraws the map').toBeGreaterThan(changesBefore);
		// what was drawn before the switch still resolves a tap to its own tile
		expect(locate(at14, 0)?.tile.z).toBe(14);
	});

	it('a zoom the map has already left is not switched to; returning to a loaded zoom switches at once', async () => {
		const server = tileServer();
		const set = new PointTileSet('households', () => {});
		await set.load(VIEW, 14);
		server.hold();
		const to15 = set.load(VIEW, 15);
		await new Promise((r) => setTimeout(r, 10));
		const back = set.load(VIEW, 14); // the user zoomed back before z15 arrived: nothing to fetch
		await back;
		expect(set.zoom).toBe(14);
		server.release();
		await to15;
		expect(set.zoom, 'z15 arrived after the map had gone back to 14').toBe(14);
		const before = server.requested.length;
		await set.load(VIEW, 15); // now cached: no request, switched at once
		expect(server.requested.length).toBe(before);
		expect(set.zoom).toBe(15);
		expect(set.combined().parts.every((p) => p.tile.z === 15)).toBe(true);
	});
});
