// Bytes → records. The format comes from the file name: GeoJSON, KML and zipped Shapefiles for
// polygons; CSV, XLSX and GeoJSON for points. Every way a file can be unreadable ends in an
// ImportFileError with a Chinese message; nothing here touches the database.
import { DOMParser } from '@xmldom/xmldom';
import { kml } from '@tmcw/togeojson';
import proj4 from 'proj4';
import { decodeGpkgGeometry } from '../../domain/import/gpkgGeometry';
import { collectPolygons, decodeEchartsGeoJson, featureProps, mapPositions, projectedCrsDefinition } from '../../domain/import/sources';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { parseDbf, parseShp } from 'shpjs';
import type { Feature, Geometry, Position } from 'geojson';
import { ImportFileError, POLYGON_LAYERS, mb, type ImportLimits, type Layer, type SourceRecord } from '../../domain/import/types';
import { normalizeHeader } from '../../domain/import/fields';
import { parseWkt, WktError } from '../../domain/import/wkt';
import { listZip, readEntry } from './zip';

export type Format = 'geojson' | 'kml' | 'shapefile' | 'gpkg' | 'csv' | 'xlsx';
export type Encoding = 'auto' | 'utf8' | 'gbk';

export interface Source {
	format: Format;
	/** how the text was decoded (CSV, DBF) */
	encoding: string | null;
	records: SourceRecord[];
}

const FORMAT_BY_EXT: Record<string, Format> = { geojson: 'geojson', json: 'geojson', kml: 'kml', zip: 'shapefile', gpkg: 'gpkg', csv: 'csv', txt: 'csv', xlsx: 'xlsx' };
const FORMAT_LABEL: Record<Format, string> = { geojson: 'GeoJSON', kml: 'KML', shapefile: 'Shapefile（.zip）', gpkg: 'GeoPackage（.gpkg）', csv: 'CSV', xlsx: 'Excel（.xlsx）' };

/**
 * Files districts have that we do not read, each with the one step that makes it readable, so the
 * message says what to do rather than only "不支持".
 */
const CONVERT_FIRST: Record<string, string> = {
	xls: '这是旧版 Excel 文件（.xls）：请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后导入',
	et: '这是 WPS 表格文件（.et）：请在 WPS 中“另存为” Excel 工作簿（.xlsx）后导入',
	ods: '这是 OpenDocument 表格（.ods）：请在 LibreOffice 或 WPS 中“另存为” Excel 工作簿（.xlsx）后导入',
	shp: '单独的 .shp 文件缺少属性表：请把 .shp、.dbf、.shx、.prj（和 .cpg）一起压缩成一个 .zip 后导入',
	dbf: '单独的 .dbf 只是属性表：请把 .shp、.dbf、.shx、.prj（和 .cpg）一起压缩成一个 .zip 后导入',
	kmz: 'KMZ 是压缩的 KML：请解压出其中的 .kml 文件（或在 Google 地球/奥维中导出为 KML）后导入'
};

export function formatsFor(layer: Layer): Format[] {
	// polygons in CSV/XLSX come as a WKT column (what the export and QGIS write)
	return POLYGON_LAYERS.includes(layer) ? ['geojson', 'shapefile', 'gpkg', 'kml', 'csv', 'xlsx'] : ['csv', 'xlsx', 'geojson', 'gpkg'];
}

export async function readSource(bytes: Uint8Array, fileName: string, layer: Layer, limits: ImportLimits, encoding: Encoding = 'auto'): Promise<Source> {
	if (bytes.byteLength > limits.maxBytes) throw new ImportFileError('too_large', `文件 ${mb(bytes.byteLength)}，超过上限 ${mb(limits.maxBytes)}：请拆分后分批导入`);
	if (bytes.byteLength === 0) throw new ImportFileError('empty', '文件是空的');
	const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
	const format = FORMAT_BY_EXT[ext];
	const allowed = formatsFor(layer);
	const convert = CONVERT_FIRST[ext];
	if (convert) throw new ImportFileError('bad_format', convert, 'file');
	if (!format || !allowed.includes(format)) {
		throw new ImportFileError('bad_format', `不支持的文件类型“.${ext}”：该图层可导入 ${allowed.map((f) => FORMAT_LABEL[f]).join('、')}`, 'file');
	}
	const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	switch (format) {
		case 'geojson': return { format, encoding: null, records: fromFeatures(parseGeoJson(decodeText(buf, 'utf8').text)) };
		case 'kml': return { format, encoding: null, records: fromFeatures(parseKml(decodeText(buf, 'utf8').text)) };
		case 'shapefile': return readShapefile(buf, limits, encoding);
		case 'gpkg': return { format, encoding: null, records: fromFeatures(await readGeoPackage(buf)) };
		case 'csv': {
			const { text, used } = decodeText(buf, encoding);
			return { format, encoding: used, records: withWkt(tableRecords(csvRows(text)), layer) };
		}
		case 'xlsx': return { format, encoding: null, records: withWkt(tableRecords(await xlsxRows(buf, limits)), layer) };
	}
}

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GBK (GB18030, its superset). */
export function decodeText(buf: Buffer, encoding: Encoding): { text: string; used: string } {
	if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), used: 'UTF-8（带 BOM）' };
	if (buf[0] === 0xff && buf[1] === 0xfe) return { text: iconv.decode(buf.subarray(2), 'utf16le'), used: 'UTF-16' };
	if (encoding === 'gbk') return { text: iconv.decode(buf, 'gb18030'), used: 'GBK' };
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), used: 'UTF-8' };
	} catch {
		if (encoding === 'utf8') throw new ImportFileError('bad_encoding', '文件不是有效的 UTF-8 编码：如果是从 Excel 另存的 CSV，请选择 GBK 编码', 'encoding');
		return { text: iconv.decode(buf, 'gb18030'), used: 'GBK' };
	}
}

function parseGeoJson(text: string): Feature[] {
	let doc: any;
	try {
		doc = JSON.parse(text);
	} catch (e) {
		throw new ImportFileError('bad_json', `不是有效的 JSON：${(e as Error).message}`);
	}
	try {
		doc = decodeEchartsGeoJson(doc);
	} catch (e) {
		throw new ImportFileError('bad_json', (e as Error).message);
	}
	if (!doc || typeof doc !== 'object' || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
		const got = doc && typeof doc === 'object' ? `type 为“${doc.type ?? '无'}”` : typeof doc;
		throw new ImportFileError('not_feature_collection', `GeoJSON 顶层必须是 FeatureCollection（含 features 数组），收到 ${got}`);
	}
	const crsName = doc.crs?.properties?.name ? String(doc.crs.properties.name) : null;
	// a projected CRS we know (CGCS2000 Gauss–Krüger, Web Mercator) is converted, as a shapefile's .prj is
	const projected = crsName && !/(4326|CRS84|4490)/.test(crsName) ? projectedCrsDefinition(crsName) : null;
	if (crsName && !/(4326|CRS84|4490)/.test(crsName) && !projected) {
		throw new ImportFileError('bad_crs', `GeoJSON 声明的坐标系“${crsName}”无法识别：支持经纬度（EPSG:4326/4490）、CGCS2000 高斯-克吕格投影（EPSG:4491–4554）和 EPSG:3857，其他坐标系请先转换为经纬度`);
	}
	doc.features.forEach((f: any, i: number) => {
		if (!f || f.type !== 'Feature') throw new ImportFileError('bad_feature', `第 ${i + 1} 个要素不是 Feature（type 为“${f?.type ?? '无'}”）`);
	});
	if (projected) {
		const toLonLat = proj4(projected, 'WGS84');
		return doc.features.map((f: Feature) => ({ ...f, geometry: mapPositions(f.geometry, (p) => toLonLat.forward([p[0], p[1]]) as Position) }));
	}
	return doc.features;
}

function parseKml(text: string): Feature[] {
	let doc: ReturnType<DOMParser['parseFromString']>;
	try {
		doc = new DOMParser({
			onError: (level: string, message: string) => {
				if (level !== 'warning') throw new Error(message);
			}
		}).parseFromString(text, 'text/xml');
	} catch (e) {
		// xmldom wraps what onError throws; the first line is the parser's own words
		const message = String((e as Error).message);
		const why = (/caused \w*Error: (.*)$/s.exec(message)?.[1] ?? message).split('\n')[0];
		throw new ImportFileError('bad_kml', `不是有效的 KML（XML 错误）：${why}`);
	}
	if (!doc.documentElement || doc.documentElement.nodeName !== 'kml') throw new ImportFileError('bad_kml', '不是有效的 KML：根元素不是 <kml>');
	return kml(doc as any).features as Feature[];
}

function fromFeatures(features: Feature[]): SourceRecord[] {
	return features.map((f, i) => ({ row: i + 1, where: `第 ${i + 1} 个要素`, props: featureProps(f), geometry: collectPolygons((f.geometry as Geometry) ?? null) }));
}

/**
 * A GeoPackage (SQLite, read with sql.js): its one feature table, attributes and geometry, in
 * lon/lat. A layer in EPSG:4326/4490 is read as it is; a CGCS2000 Gauss–Krüger or Web Mercator one,
 * or any other whose definition proj4 understands, is converted like a shapefile's .prj.
 */
async function readGeoPackage(buf: Buffer): Promise<Feature[]> {
	const { default: initSqlJs } = await import('sql.js');
	const SQL = await initSqlJs();
	let db: InstanceType<typeof SQL.Database>;
	try {
		db = new SQL.Database(new Uint8Array(buf));
		db.exec('SELECT 1 FROM gpkg_contents LIMIT 1');
	} catch {
		throw new ImportFileError('bad_gpkg', '不是有效的 GeoPackage（缺少 gpkg_contents 表或文件已损坏）');
	}
	try {
		const rows = <T>(q: string, params: (string | number)[] = []): T[] => {
			const st = db.prepare(q, params);
			const out: T[] = [];
			while (st.step()) out.push(st.getAsObject() as T);
			st.free();
			return out;
		};
		const layers = rows<{ table_name: string }>(`SELECT table_name FROM gpkg_contents WHERE data_type = 'features'`).map((r) => r.table_name);
		if (layers.length === 0) throw new ImportFileError('bad_gpkg', 'GeoPackage 中没有要素图层');
		if (layers.length > 1) throw new ImportFileError('many_layers', `GeoPackage 中有 ${layers.length} 个图层（${layers.join('、')}），请每次只导入一个：在 QGIS 中把该图层“导出 → 要素另存为”一个 .gpkg`);
		const [table] = layers;
		const [column] = rows<{ column_name: string; srs_id: number }>('SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?', [table]);
		if (!column) throw new ImportFileError('bad_gpkg', `GeoPackage 图层 ${table} 没有几何列`);
		const [srs] = rows<{ organization: string; organization_coordsys_id: number; definition: string }>(
			'SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?', [column.srs_id]);
		const epsg = srs && /^epsg$/i.test(srs.organization) ? srs.organization_coordsys_id : null;
		let toLonLat: ((p: Position) => Position) | null = null;
		if (!(epsg === 4326 || epsg === 4490 || column.srs_id === 4326)) {
			const def = (epsg && projectedCrsDefinition(`EPSG:${epsg}`)) || srs?.definition;
			try {
				const conv = proj4(def!, 'WGS84');
				toLonLat = (p) => conv.forward([p[0], p[1]]) as Position;
			} catch {
				throw new ImportFileError('bad_crs', `GeoPackage 图层的坐标系（${epsg ? `EPSG:${epsg}` : (srs?.organization ?? '未知')}）无法识别：请在 QGIS 中导出为 EPSG:4326 后导入`);
			}
		}
		const features: Feature[] = [];
		for (const r of rows<Record<string, unknown>>(`SELECT * FROM "${table.replace(/"/g, '""')}"`)) {
			const blob = r[column.column_name];
			const { [column.column_name]: _geometry, fid: _fid, ...properties } = r;
			let geometry: Geometry | null = null;
			if (blob instanceof Uint8Array) {
				try {
					geometry = decodeGpkgGeometry(blob).geometry;
				} catch (e) {
					throw new ImportFileError('bad_gpkg', `GeoPackage 第 ${features.length + 1} 个要素的几何无法读取：${(e as Error).message}`);
				}
			}
			features.push({ type: 'Feature', properties, geometry: toLonLat ? mapPositions(geometry, toLonLat) : geometry } as Feature);
		}
		return features;
	} finally {
		db.close();
	}
}

function readShapefile(buf: Buffer, limits: ImportLimits, encoding: Encoding): Source {
	const entries = listZip(buf, limits).filter((e) => !e.name.startsWith('__MACOSX') && !e.name.endsWith('/'));
	const shps = entries.filter((e) => /\.shp$/i.test(e.name));
	const names = entries.map((e) => e.name).join('、') || '无';
	if (shps.length === 0) throw new ImportFileError('no_shp', `压缩包中没有 .shp 文件（找到：${names}）：Shapefile 需要 .shp、.dbf（和 .prj）一起打包`);
	if (shps.length > 1) throw new ImportFileError('many_shp', `压缩包中有 ${shps.length} 个图层（${shps.map((e) => e.name).join('、')}），请每次只导入一个`);
	const base = shps[0].name.slice(0, -4);
	const part = (ext: string) => entries.find((e) => e.name.toLowerCase() === `${base}.${ext}`.toLowerCase());
	const dbfEntry = part('dbf');
	if (!dbfEntry) throw new ImportFileError('no_dbf', `压缩包中缺少 ${base}.dbf（属性表）：没有它就没有编码和名称`);
	const dbf = readEntry(buf, dbfEntry);
	const prj = part('prj') && readEntry(buf, part('prj')!).toString('utf8');
	let cpg = part('cpg') && readEntry(buf, part('cpg')!).toString('utf8').trim();
	if (cpg && /936|gbk|gb2312|gb18030/i.test(cpg)) cpg = 'gbk';
	if (!cpg) cpg = encoding === 'gbk' || (encoding === 'auto' && !isUtf8(dbf.subarray(dbf.readUInt16LE(8)))) ? 'gbk' : 'utf-8';
	let geoms: Geometry[], attrs: Record<string, unknown>[];
	try {
		geoms = parseShp(readEntry(buf, shps[0]), prj);
		attrs = parseDbf(dbf, cpg);
	} catch (e) {
		if (e instanceof ImportFileError) throw e;
		throw new ImportFileError('bad_shapefile', `Shapefile 无法读取：${(e as Error).message}`);
	}
	const records = geoms.map((g, i) => ({ row: i + 1, where: `第 ${i + 1} 个要素`, props: attrs[i] ?? {}, geometry: g ?? null }));
	return { format: 'shapefile', encoding: cpg === 'gbk' ? 'GBK' : 'UTF-8', records };
}

function isUtf8(b: Uint8Array): boolean {
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(b);
		return true;
	} catch {
		return false;
	}
}

interface TableRow { line: number; cells: unknown[] }

function csvRows(text: string): TableRow[] {
	const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
	const delimiter = !firstLine.includes(',') && firstLine.includes('\t') ? '\t' : ',';
	try {
		const out = parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
		return out.map((r) => ({ line: r.info.lines, cells: r.record }));
	} catch (e) {
		const err = e as Error & { lines?: number };
		throw new ImportFileError('bad_csv', `CSV 格式错误${err.lines ? `（第 ${err.lines} 行附近）` : ''}：${err.message}`);
	}
}

async function xlsxRows(buf: Buffer, limits: ImportLimits): Promise<TableRow[]> {
	listZip(buf, limits); // an .xlsx is a zip: the same bomb checks before ExcelJS inflates it
	const wb = new ExcelJS.Workbook();
	try {
		await wb.xlsx.load(buf as any);
	} catch (e) {
		throw new ImportFileError('bad_xlsx', `不是有效的 Excel（.xlsx）文件：${(e as Error).message}`);
	}
	const sheet = wb.worksheets.find((s) => s.actualRowCount > 0);
	if (!sheet) throw new ImportFileError('empty', 'Excel 文件中没有数据');
	const rows: TableRow[] = [];
	sheet.eachRow({ includeEmpty: false }, (row, line) => {
		const cells = (row.values as unknown[]).slice(1).map(cellValue);
		if (cells.some((c) => c !== null && c !== '')) rows.push({ line, cells });
	});
	return rows;
}

/** A cell's plain value. Excel stores times without a zone; the wall clock is 北京时间. */
function cellValue(v: unknown): unknown {
	if (v === null || v === undefined) return null;
	if (v instanceof Date) return v.toISOString().slice(0, 19).replace('T', ' ');
	if (typeof v === 'object') {
		const o = v as { result?: unknown; richText?: { text: string }[]; text?: string; error?: string };
		if ('result' in o) return cellValue(o.result);
		if (o.richText) return o.richText.map((t) => t.text).join('');
		if (typeof o.text === 'string') return o.text;
		if (o.error) return null;
	}
	return v;
}

const WKT_HEADERS = ['wkt', '几何', 'geometry', 'geom', 'the_geom', 'shape'];

/** Polygon layers from a table: the WKT column becomes each row's geometry. */
function withWkt(records: SourceRecord[], layer: Layer): SourceRecord[] {
	if (!POLYGON_LAYERS.includes(layer)) return records;
	const headers = Object.keys(records[0]?.props ?? {});
	const column = headers.find((h) => WKT_HEADERS.includes(normalizeHeader(h)));
	if (!column) throw new ImportFileError('no_geometry', `表格中没有几何列：面图层的 CSV/Excel 需要一列 WKT（列名 wkt），例如 POLYGON((113.2 28.2, …))。文件中的列：${headers.join('、')}`);
	for (const r of records) {
		const cell = r.props[column];
		delete r.props[column];
		if (cell === null || cell === undefined || String(cell).trim() === '') continue;
		try {
			r.geometry = parseWkt(String(cell));
		} catch (e) {
			if (!(e instanceof WktError)) throw e;
			r.geometryError = e.message;
		}
	}
	return records;
}

/** The export writes text that starts like a formula with a leading apostrophe (domain/csv.ts): undo it. */
const unsafeTextBack = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

function tableRecords(rows: TableRow[]): SourceRecord[] {
	if (rows.length === 0) throw new ImportFileError('empty', '文件中没有表头');
	const [head, ...body] = rows;
	const headers = head.cells.map((h, i) => String(h ?? '').replace(/^\uFEFF/, '').trim() || `第${i + 1}列`);
	return body.map((r) => ({
		row: r.line,
		where: `第 ${r.line} 行`,
		props: Object.fromEntries(headers.map((h, i) => [h, typeof r.cells[i] === 'string' ? unsafeTextBack((r.cells[i] as string).trim()) : r.cells[i]])),
		geometry: null
	}));
}
