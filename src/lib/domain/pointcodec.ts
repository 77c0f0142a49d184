// The binary point tile: what /api/map/tiles/{layer}/{z}/{x}/{y} sends instead of GeoJSON.
// Little-endian, 24-byte header, then three flat arrays (no per-point framing, no parse):
//
//   0 u32 magic 'GTP1'   4 u8 format (1)   5 u8 layer   6 u8 z   7 u8 0
//   8 u32 x   12 u32 y   16 u32 count   20 u32 0
//   24 u16 qx[count]   then u16 qy[count]   then u8 attr[count]
//
// qx/qy are positions inside the tile quantised to 1/65536 (see tiles.ts): 5 bytes a point,
// against ~60 for a GeoJSON Feature. The attribute byte's bits depend on the layer (pointattrs.ts).
import { dequantize, quantize, type Tile } from './tiles';

export const MAGIC = 0x31505447; // 'GTP1' read as little-endian u32
export const FORMAT = 1;
export const HEADER_BYTES = 24;

export const LAYERS = ['households', 'hazards', 'requests'] as const;
export type PointLayer = (typeof LAYERS)[number];

export interface DecodedTile {
	tile: Tile;
	layer: PointLayer;
	count: number;
	/** lon, lat interleaved; Float64 so deck.gl keeps sub-metre precision */
	positions: Float64Array;
	attrs: Uint8Array;
}

export function encodePoints(
	layer: PointLayer,
	tile: Tile,
	lons: ArrayLike<number>,
	lats: ArrayLike<number>,
	attrs: ArrayLike<number>
): Uint8Array {
	const n = lons.length;
	if (lats.length !== n || attrs.length !== n) throw new RangeError('encodePoints: lons, lats and attrs differ in length');
	const bytes = new Uint8Array(HEADER_BYTES + n * 5);
	const view = new DataView(bytes.buffer);
	view.setUint32(0, MAGIC, true);
	view.setUint8(4, FORMAT);
	view.setUint8(5, LAYERS.indexOf(layer));
	view.setUint8(6, tile.z);
	view.setUint32(8, tile.x, true);
	view.setUint32(12, tile.y, true);
	view.setUint32(16, n, true);
	for (let i = 0; i < n; i++) {
		const [qx, qy] = quantize(lons[i], lats[i], tile);
		view.setUint16(HEADER_BYTES + 2 * i, qx, true);
		view.setUint16(HEADER_BYTES + 2 * n + 2 * i, qy, true);
	}
	bytes.set(attrs, HEADER_BYTES + 4 * n);
	return bytes;
}

export function decodePoints(buffer: ArrayBufferLike | Uint8Array): DecodedTile {
	const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
	if (bytes.byteLength < HEADER_BYTES) throw new RangeError(`point tile: ${bytes.byteLength} bytes, shorter than the header`);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (view.getUint32(0, true) !== MAGIC) throw new RangeError('point tile: bad magic');
	if (view.getUint8(4) !== FORMAT) throw new RangeError(`point tile: format ${view.getUint8(4)}, expected ${FORMAT}`);
	const layer = LAYERS[view.getUint8(5)];
	if (!layer) throw new RangeError(`point tile: unknown layer ${view.getUint8(5)}`);
	const tile = { z: view.getUint8(6), x: view.getUint32(8, true), y: view.getUint32(12, true) };
	const count = view.getUint32(16, true);
	if (bytes.byteLength !== HEADER_BYTES + count * 5)
		throw new RangeError(`point tile: ${bytes.byteLength} bytes for ${count} points, expected ${HEADER_BYTES + count * 5}`);
	const positions = new Float64Array(2 * count);
	// hot loop: 200 000 points at the district view; DataView avoids alignment copies
	for (let i = 0; i < count; i++) {
		const qx = view.getUint16(HEADER_BYTES + 2 * i, true);
		const qy = view.getUint16(HEADER_BYTES + 2 * count + 2 * i, true);
		const [lon, lat] = dequantize(qx, qy, tile);
		positions[2 * i] = lon;
		positions[2 * i + 1] = lat;
	}
	const attrs = bytes.slice(HEADER_BYTES + 4 * count, HEADER_BYTES + 5 * count);
	return { tile, layer, count, positions, attrs };
}
