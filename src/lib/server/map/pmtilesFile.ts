// A local PMTiles file (MAP_PRESET=pmtiles, MAP_PMTILES_FILE) read on the server and served tile by
// tile at /api/map/base-pmtiles/{z}/{x}/{y}. Why the server and not pmtiles' MapLibre protocol in
// the browser: MapLibre then fetches plain z/x/y URLs like any tile folder (nothing new in the
// client bundle, no range requests through the app, the CSP stays 'self', each tile cacheable on
// its own), and the file never leaves the server whole. The `pmtiles` package does the format
// (header, directories, tile ids); what it lacks in Node is a Source over a file, written here.
import { open, type FileHandle } from 'node:fs/promises';
import { PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';
import { badParam, notFound } from '../../domain/apierror';
import type { PmtilesInfo } from '../../domain/basemapPresets';

/** pmtiles' Source over a file on disk: positional reads, the handle opened once. */
export class NodeFileSource implements Source {
	private handle: Promise<FileHandle> | null = null;
	constructor(readonly path: string) {}

	getKey(): string {
		return this.path;
	}

	async getBytes(offset: number, length: number): Promise<RangeResponse> {
		this.handle ??= open(this.path, 'r');
		const fh = await this.handle;
		const buf = Buffer.alloc(length);
		const { bytesRead } = await fh.read(buf, 0, length, offset);
		// pmtiles reads the header with a 16 KiB guess: a small file answers with fewer bytes
		return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) as ArrayBuffer };
	}

	async close(): Promise<void> {
		const h = this.handle;
		this.handle = null;
		// a file that never opened has nothing to close
		if (h) await h.then((fh) => fh.close(), () => {});
	}
}

const TYPES: Partial<Record<TileType, string>> = {
	[TileType.Mvt]: 'application/vnd.mapbox-vector-tile',
	[TileType.Png]: 'image/png',
	[TileType.Jpeg]: 'image/jpeg',
	[TileType.Webp]: 'image/webp',
	[TileType.Avif]: 'image/avif'
};

export interface PmtilesArchive {
	info: PmtilesInfo;
	/** MIME type of every tile in the file */
	type: string;
	/** the tile's bytes (decompressed when the file gzips them), or a 404 */
	tile(z: string | undefined, x: string | undefined, y: string | undefined): Promise<Uint8Array<ArrayBuffer>>;
	close(): Promise<void>;
}

function tileIndex(raw: string | undefined, field: string, max: number): number {
	const v = /^\d{1,7}$/.test(raw ?? '') ? Number(raw) : NaN;
	if (!(Number.isInteger(v) && v >= 0 && v <= max)) throw badParam(field, `瓦片坐标 ${field} 应为 0–${max} 的整数，收到“${raw ?? ''}”`);
	return v;
}

/** Opens the file and reads its header and metadata; an error names MAP_PMTILES_FILE. */
export async function openPmtiles(path: string): Promise<PmtilesArchive> {
	const source = new NodeFileSource(path);
	const p = new PMTiles(source);
	let header;
	let metadata: { vector_layers?: { id?: unknown }[] } = {};
	try {
		header = await p.getHeader();
		metadata = ((await p.getMetadata()) ?? {}) as typeof metadata;
	} catch (e) {
		await source.close();
		throw new Error(`MAP_PMTILES_FILE 无法读取：“${path}”（${(e as Error).message}）`, { cause: e });
	}
	const type = TYPES[header.tileType];
	if (!type) {
		await source.close();
		throw new Error(`MAP_PMTILES_FILE 的瓦片类型无法识别（${header.tileType}）：只支持 MVT、PNG、JPEG、WebP、AVIF`);
	}
	const kind = header.tileType === TileType.Mvt ? 'vector' : 'raster';
	const vectorLayers = (metadata.vector_layers ?? []).map((l) => l.id).filter((id): id is string => typeof id === 'string');
	return {
		info: { kind, minZoom: header.minZoom, maxZoom: header.maxZoom, ...(kind === 'vector' ? { vectorLayers } : {}) },
		type,
		async tile(zRaw, xRaw, yRaw) {
			const z = tileIndex(zRaw, 'z', 30);
			const x = tileIndex(xRaw, 'x', 2 ** z - 1);
			const y = tileIndex(yRaw, 'y', 2 ** z - 1);
			const hit = z >= header.minZoom && z <= header.maxZoom ? await p.getZxy(z, x, y) : undefined;
			if (!hit) throw notFound(`PMTiles 文件中没有 ${z}/${x}/${y}`);
			return new Uint8Array(hit.data);
		},
		close: () => source.close()
	};
}
