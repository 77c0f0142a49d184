// 导出: any layer or filtered list as GeoJSON (RFC 7946, WGS84), CSV (UTF-8 with BOM) or .xlsx.
// Rows are read in keyset batches and written as they come, so 200 000 households never sit in
// memory at once and the one PGlite connection is free between batches. Personal data leaves
// masked unless the user may unmask and gives a reason; every export writes one audit row first.
import { ApiError, badParam } from '../../domain/apierror';
import type { Cell } from '../../domain/csv';
import { contentDisposition, exportHeader, exportLabel, FORMAT_TYPE, LAYER_LABEL, type ExportFormat, type ExportLayer } from '../../domain/exportspec';
import { isoCst, localDate } from '../../domain/time';
import { recordExport as auditExport } from '../access/audit';
import type { SessionUser } from '../auth/user';
import type { Queryable } from '../db/client';
import { and, ident, join, sql } from '../db/sql';
import { isPii, LAYERS, piiColumns, type Column, type ExportQuery, type PlainColumn } from './layers';
import { sheetStream, textStream, type Sheet } from './streams';
import { trackStream } from '../ops/metrics';

export const EXPORT_BATCH = 5000;

export interface ExportOptions {
	/** the stated reason for an unmasked export; null/undefined = masked */
	unmaskReason?: string | null;
	/** rows per database round trip */
	batchSize?: number;
	/** what the audit row says the filter was (the URL's query string) */
	describe?: string;
	/**
	 * CSV/XLSX for programs: English column names, stored codes, ISO times (`codes=1`). The default
	 * is for people: Chinese headers, labels, real dates in .xlsx. GeoJSON is always for programs.
	 */
	codes?: boolean;
}

export interface ExportFile {
	body: ReadableStream<Uint8Array>;
	rows: number;
	unmasked: boolean;
	headers: Record<string, string>;
}

/** 查看完整信息 in bulk: admins, and grid managers (whose exports hold only their own grids). */
export function mayUnmaskExport(user: SessionUser): boolean {
	return user.role === 'admin' || user.role === 'grid_manager';
}

/** The one place an export is recorded: audit_log (0007), in the exporting user's name. */
export async function recordExport(db: Queryable, user: SessionUser, what: string, rows: number, fields: string[], note: string): Promise<void> {
	await auditExport(db, user.id, what, rows, { fields, note });
}

export async function exportLayer(db: Queryable, user: SessionUser, layer: ExportLayer, query: ExportQuery, format: ExportFormat,
	options: ExportOptions = {}): Promise<ExportFile> {
	const reason = options.unmaskReason?.trim() || null;
	if (reason !== null && reason.length < 4) throw badParam('reason', '导出完整个人信息需填写原因（reason），至少 4 个字');
	const unmasked = reason !== null && piiColumns(layer).length > 0;
	if (unmasked && !mayUnmaskExport(user)) throw new ApiError(403, 'forbidden', '只有网格员（本人网格）和管理员可以导出完整个人信息');
	const rows = await countRows(db, layer, query, user);
	const fields = unmasked ? piiColumns(layer) : [];
	await recordExport(db, user, `${layer}.${format}`, rows, fields,
		`${unmasked ? `含完整个人信息，原因：${reason}` : '个人信息已脱敏'}；条件：${options.describe || '无'}`);
	const codes = format === 'geojson' || options.codes === true;
	const batches = readBatches(db, layer, query, user, format, unmasked, options.batchSize ?? EXPORT_BATCH, codes);
	const body = trackStream('export', format === 'geojson' ? textStream(geojsonChunks(layer, batches)) : sheetStream(layerSheet(layer, batches, codes), format));
	const day = localDate(query.now);
	return {
		body, rows, unmasked,
		headers: {
			'content-type': FORMAT_TYPE[format],
			'content-disposition': contentDisposition(`${layer}-${day}.${format}`, `${LAYER_LABEL[layer]}-${day}.${format}`),
			'cache-control': 'no-store',
			'x-export-rows': String(rows)
		}
	};
}

async function countRows(db: Queryable, layer: ExportLayer, query: ExportQuery, user: SessionUser): Promise<number> {
	const def = LAYERS[layer];
	const [{ n }] = await db.sql<{ n: number }>`SELECT count(*) AS n FROM ${def.from} WHERE ${and(def.where(query, user))}`;
	return n;
}

interface OutRow { id: string | number; values: Cell[]; geometry: string; lon: number | null; lat: number | null; wkt: string | null }

/** Rows in key order, a batch at a time, with values formatted and personal data masked. */
async function* readBatches(db: Queryable, layer: ExportLayer, query: ExportQuery, user: SessionUser, format: ExportFormat,
	unmasked: boolean, batchSize: number, codes: boolean): AsyncGenerator<OutRow[]> {
	const def = LAYERS[layer];
	const geom = def.point ? def.geom : sql`ST_ForcePolygonCCW(${def.geom})`; // RFC 7946: outer rings counter-clockwise
	const shape = format === 'geojson' ? sql`ST_AsGeoJSON(${geom}, 7) AS "_geometry"`
		: def.point ? sql`ST_X(${def.geom}) AS "_lon", ST_Y(${def.geom}) AS "_lat"` : sql`ST_AsText(${def.geom}, 7) AS "_wkt"`;
	const plain = def.columns.filter((c): c is PlainColumn => !isPii(c));
	const pii = def.columns.filter(isPii);
	const select = join(plain.map((c) => sql`${c.sql} AS ${ident(c.name)}`));
	const filter = def.where(query, user);
	let last: unknown = null;
	for (;;) {
		const w = last === null ? filter : [...filter, sql`${def.key} > ${last}`];
		const rows = await db.sql`SELECT ${select}, ${def.key} AS "_key", ${shape} FROM ${def.from} WHERE ${and(w)}
			ORDER BY ${def.key} LIMIT ${Number(batchSize)}`;
		if (rows.length === 0) return;
		if (def.pii && pii.length) {
			// personal data for the whole batch in one call (the app role cannot read those columns)
			const got = await db.sql`SELECT * FROM ${def.pii}(${rows.map((r) => r._key)}, ${unmasked})`;
			const byKey = new Map(got.map((g) => [String(g.id), g]));
			for (const r of rows) for (const c of pii) r[c.name] = byKey.get(String(r._key))?.[c.field] ?? null;
		}
		yield rows.map((r) => ({
			id: r._key, values: def.columns.map((c) => (codes ? codeCell(c, r[c.name]) : peopleCell(layer, c, r[c.name]))), geometry: r._geometry,
			lon: r._lon ?? null, lat: r._lat ?? null, wkt: r._wkt ?? null
		}));
		if (rows.length < batchSize) return;
		last = rows[rows.length - 1]._key;
	}
}

/** For programs: codes, ISO 8601 times with +08:00, true/false, ';'-joined tags. */
function codeCell(c: Column, v: unknown): Cell {
	if (v === null || v === undefined) return null;
	switch (c.kind) {
		case 'time': return isoCst(new Date(v as string));
		case 'number': return Number(v);
		case 'bool': return v ? 'true' : 'false';
		case 'tags': return (v as string[]).join(';');
		// pii_*: masked (or whole) by the database already
		default: return String(v);
	}
}

/** For people: labels instead of codes, times as dates (a real date cell in .xlsx, Beijing time in CSV). */
function peopleCell(layer: ExportLayer, c: Column, v: unknown): Cell {
	if (v === null || v === undefined) return null;
	if (c.kind === 'time') return new Date(v as string);
	const coded = codeCell(c, v);
	return typeof coded === 'string' || c.name === 'severity' ? exportLabel(layer, c.name, String(coded)) : coded;
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

/** CSV/XLSX columns: the layer's, then lon/lat for points or wkt for polygons. */
function header(layer: ExportLayer, codes: boolean): string[] {
	return [...LAYERS[layer].columns.map((c) => c.name), ...(LAYERS[layer].point ? ['lon', 'lat'] : ['wkt'])].map((n) => exportHeader(n, codes));
}

/** Column widths (characters) for people: wide enough for a date, a title, an address. */
function widths(layer: ExportLayer): number[] {
	const wide: Record<string, number> = { title: 36, description: 48, address: 36, findings: 40, decisions: 40, wkt: 60, tags: 20 };
	return [...LAYERS[layer].columns.map((c) => (c.kind === 'time' ? 17 : (wide[c.name] ?? 14))), ...(LAYERS[layer].point ? [11, 11] : [60])];
}
const flat = (layer: ExportLayer, r: OutRow): Cell[] =>
	[...r.values, ...(LAYERS[layer].point ? [round7(r.lon!), round7(r.lat!)] : [r.wkt])];

async function* geojsonChunks(layer: ExportLayer, batches: AsyncGenerator<OutRow[]>): AsyncGenerator<string> {
	const cols = LAYERS[layer].columns;
	yield `{"type":"FeatureCollection","name":${JSON.stringify(layer)},"features":[`;
	let first = true;
	for await (const batch of batches) {
		const features = batch.map((r) => {
			const props: Record<string, unknown> = {};
			// tags stay an array in GeoJSON
			cols.forEach((c, i) => (props[c.name] = c.kind === 'tags' && typeof r.values[i] === 'string' ? (r.values[i] as string).split(';').filter(Boolean) : r.values[i]));
			return `{"type":"Feature","id":${JSON.stringify(r.id)},"geometry":${r.geometry},"properties":${JSON.stringify(props)}}`;
		});
		yield (first ? '\n' : ',\n') + features.join(',\n');
		first = false;
	}
	yield '\n]}\n';
}

/** The layer as a sheet: its rows flattened into CSV/XLSX columns. */
function layerSheet(layer: ExportLayer, batches: AsyncGenerator<OutRow[]>, codes: boolean): Sheet {
	return { name: LAYER_LABEL[layer], header: header(layer, codes), widths: codes ? undefined : widths(layer), batches: flatBatches(layer, batches) };
}
async function* flatBatches(layer: ExportLayer, batches: AsyncGenerator<OutRow[]>): AsyncGenerator<Cell[][]> {
	for await (const batch of batches) yield batch.map((r) => flat(layer, r));
}
