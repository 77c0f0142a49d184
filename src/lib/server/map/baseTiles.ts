// The tile folder of MAP_PRESET=tiles: {z}/{x}/{y}.png|jpg|jpeg|webp under MAP_TILE_DIR (XYZ
// numbering, as QGIS "Generate XYZ tiles" and most tile cutters write it), served by the app so an
// intranet needs no tile server. Only whole numbers reach the file system: no path from a request.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { badParam, notFound } from '../../domain/apierror';

const TYPES: [string, string][] = [['png', 'image/png'], ['jpg', 'image/jpeg'], ['jpeg', 'image/jpeg'], ['webp', 'image/webp']];

function tileIndex(raw: string | undefined, field: string, max: number): number {
	const v = /^\d{1,7}$/.test(raw ?? '') ? Number(raw) : NaN;
	if (!(Number.isInteger(v) && v >= 0 && v <= max)) throw badParam(field, `瓦片坐标 ${field} 应为 0–${max} 的整数，收到“${raw ?? ''}”`);
	return v;
}

/** The tile's bytes and type, or a 404 (an empty area of the folder is normal, not an error). */
export async function baseTile(dir: string, zRaw: string | undefined, xRaw: string | undefined, yRaw: string | undefined): Promise<{ body: Buffer; type: string }> {
	const z = tileIndex(zRaw, 'z', 22);
	const x = tileIndex(xRaw, 'x', 2 ** z - 1);
	const y = tileIndex(yRaw, 'y', 2 ** z - 1);
	for (const [ext, type] of TYPES) {
		try {
			return { body: await readFile(path.join(dir, String(z), String(x), `${y}.${ext}`)), type };
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
		}
	}
	throw notFound(`瓦片目录中没有 ${z}/${x}/${y}`);
}
