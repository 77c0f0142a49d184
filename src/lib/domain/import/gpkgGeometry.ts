// GeoPackage geometry blobs (OGC 12-128r19, §2.1.3): a "GP" header (version, flags, srs_id, an
// optional envelope) followed by ISO WKB. Decoded to GeoJSON geometry for the import; Z and M are
// read and dropped (the map is 2-D). Pure: bytes in, geometry out.
import type { Geometry, Position } from 'geojson';

/** Envelope sizes in bytes by the flags' envelope indicator (bits 1–3): none, xy, xyz, xym, xyzm. */
const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

export interface GpkgGeometry {
	srsId: number;
	/** null for an empty geometry (flags bit 4) */
	geometry: Geometry | null;
}

export function decodeGpkgGeometry(blob: Uint8Array): GpkgGeometry {
	if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('不是 GeoPackage 几何（缺少 GP 头）');
	const flags = blob[3];
	const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
	const srsId = view.getInt32(4, (flags & 1) === 1);
	const envelope = (flags >> 1) & 7;
	if (envelope > 4) throw new Error(`GeoPackage 几何头的包络类型无效：${envelope}`);
	if ((flags >> 4) & 1) return { srsId, geometry: null };
	const reader = new WkbReader(view, 8 + ENVELOPE_BYTES[envelope]);
	return { srsId, geometry: reader.geometry() };
}

class WkbReader {
	constructor(private view: DataView, private at: number) {}

	geometry(): Geometry {
		const little = this.view.getUint8(this.at) === 1;
		this.at += 1;
		const raw = this.view.getUint32(this.at, little);
		this.at += 4;
		// ISO WKB: +1000 Z, +2000 M, +3000 ZM; (E)WKB high bits for the same, from other writers
		const base = (raw & 0xffff) % 1000;
		const iso = Math.floor((raw & 0xffff) / 1000);
		const dims = 2 + (iso === 1 || iso === 2 ? 1 : iso === 3 ? 2 : 0) + (raw & 0x80000000 ? 1 : 0) + (raw & 0x40000000 ? 1 : 0);
		const u32 = () => { const v = this.view.getUint32(this.at, little); this.at += 4; return v; };
		const point = (): Position => {
			const x = this.view.getFloat64(this.at, little);
			const y = this.view.getFloat64(this.at + 8, little);
			this.at += 8 * dims;
			return [x, y];
		};
		const points = () => Array.from({ length: u32() }, point);
		const rings = () => Array.from({ length: u32() }, points);
		const parts = <T>(read: () => T) => Array.from({ length: u32() }, read);
		switch (base) {
			case 1: return { type: 'Point', coordinates: point() };
			case 2: return { type: 'LineString', coordinates: points() };
			case 3: return { type: 'Polygon', coordinates: rings() };
			case 4: return { type: 'MultiPoint', coordinates: parts(() => (this.geometry() as { coordinates: Position }).coordinates) };
			case 5: return { type: 'MultiLineString', coordinates: parts(() => (this.geometry() as { coordinates: Position[] }).coordinates) };
			case 6: return { type: 'MultiPolygon', coordinates: parts(() => (this.geometry() as { coordinates: Position[][] }).coordinates) };
			case 7: return { type: 'GeometryCollection', geometries: parts(() => this.geometry()) };
			default: throw new Error(`不支持的 WKB 几何类型 ${raw}（曲线、曲面等请先在 QGIS 中转为普通面）`);
		}
	}
}
