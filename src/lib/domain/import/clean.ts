// Records → clean rows: columns mapped by their Chinese or English names, each cell parsed, the
// geometry checked and converted to WGS84, codes checked for duplicates inside the file. Every
// problem becomes a RowIssue naming the row, the column and what is wrong; nothing is guessed.
import type { Geometry } from 'geojson';
import { FieldProblem, fieldsOf, mapColumns } from './fields';
import { countVertices, pointOf, polygonProblem, positionProblem, roundGeometry, toWgs84 } from './geometry';
import { ImportFileError, POLYGON_LAYERS, type Crs, type ImportLimits, type Layer, type RowIssue, type SourceRecord } from './types';

export interface CleanRow {
	row: number;
	where: string;
	values: Record<string, any>;
	/** WGS84: a Polygon/MultiPolygon for areas and grids, a Point otherwise */
	geometry: Geometry;
}

export interface Cleaned {
	rows: CleanRow[];
	issues: RowIssue[];
	/** source column for each field, as found in the file */
	columns: Record<string, string>;
}

const AREA_LEVEL_BY_LENGTH: Record<number, string> = { 6: 'district', 9: 'street', 12: 'community' };

export function cleanRecords(layer: Layer, records: SourceRecord[], crs: Crs, limits: ImportLimits): Cleaned {
	if (records.length === 0) throw new ImportFileError('empty', '文件中没有数据行或要素');
	if (records.length > limits.maxRows) throw new ImportFileError('too_many_rows', `文件有 ${records.length} 行，超过上限 ${limits.maxRows} 行：请拆分后分批导入`);
	const polygons = POLYGON_LAYERS.includes(layer);
	const headers = [...new Set(records.flatMap((r) => Object.keys(r.props)))];
	const columns = mapColumns(layer, headers);
	const hasGeometry = records.some((r) => r.geometry);
	const missing = fieldsOf(layer).filter((f) => f.required && !columns.has(f.key) && !(hasGeometry && (f.key === 'lng' || f.key === 'lat')));
	if (missing.length) {
		throw new ImportFileError('missing_columns', `缺少必填列：${missing.map((f) => `${f.label}（可写作 ${f.aliases.slice(0, 3).join(' / ')}）`).join('；')}。文件中的列：${headers.join('、') || '无'}`, missing[0].key);
	}
	checkVertices(records, limits);

	const issues: RowIssue[] = [];
	const rows: CleanRow[] = [];
	const seen = new Map<string, string>();
	for (const rec of records) {
		const problem = (field: string | null, message: string) => issues.push({ row: rec.row, where: rec.where, field, message, level: 'error' });
		const values: Record<string, any> = {};
		let ok = true;
		for (const f of fieldsOf(layer)) {
			const column = columns.get(f.key);
			const raw = column === undefined ? undefined : rec.props[column];
			const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
			if (empty) {
				if (f.required && !((f.key === 'lng' || f.key === 'lat') && rec.geometry)) {
					problem(column ?? f.label, `${f.label}不能为空`);
					ok = false;
				}
				values[f.key] = f.fallback ?? null;
				continue;
			}
			try {
				values[f.key] = f.parse(raw);
			} catch (e) {
				if (!(e instanceof FieldProblem)) throw e;
				// a message that names the field already ("身份证号必须是 18 位…") is not prefixed again
				problem(column ?? f.label, e.message.startsWith(f.label) || e.message.startsWith('Excel') ? e.message : `${f.label}${e.message}`);
				ok = false;
			}
		}
		const geometry = polygons ? polygonOf(rec, crs, problem) : pointFor(rec, values, crs, problem);
		if (!geometry) ok = false;
		if (layer === 'areas' && values.code) Object.assign(values, { level: AREA_LEVEL_BY_LENGTH[values.code.length], parent_code: parentOf(values.code) });
		if (layer === 'grids' && values.code) values.community_code = values.code.slice(0, 12);
		const key = values.code ?? (layer === 'households' ? values.id_number : null);
		if (key) {
			const first = seen.get(key);
			if (first) {
				problem(columns.get(values.code ? 'code' : 'id_number') ?? null, `${values.code ? '编码' : '身份证号'}“${key}”与${first}重复`);
				ok = false;
			} else seen.set(key, rec.where);
		}
		if (ok) for (const [field, message, level] of crossChecks(layer, values)) {
			issues.push({ row: rec.row, where: rec.where, field, message, level });
			if (level === 'error') ok = false;
		}
		if (ok && geometry) rows.push({ row: rec.row, where: rec.where, values, geometry });
	}
	return { rows, issues, columns: Object.fromEntries(columns) };
}

/** Rules between fields of one row (the database's CHECKs, said first and in Chinese). */
function crossChecks(layer: Layer, v: Record<string, any>): [string, string, 'error' | 'warning'][] {
	const out: [string, string, 'error' | 'warning'][] = [];
	if (layer === 'hazards') {
		if (v.rectified_at && v.found_at && v.rectified_at < v.found_at) out.push(['整改时间', '整改时间早于发现时间', 'error']);
		if (v.reinspected_at && !v.rectified_at) out.push(['复查时间', '有复查时间却没有整改时间', 'error']);
		if (v.rectify_deadline && v.found_at && v.rectify_deadline < v.found_at) out.push(['整改期限', '整改期限早于发现时间', 'error']);
	}
	if (layer === 'requests' && v.status && v.status !== 'reported') {
		out.push(['状态', `状态“${v.status}”不会导入：导入的诉求一律从“已上报”开始，后续派单、办结在系统中流转并留痕`, 'warning']);
	}
	return out;
}

export function parentOf(code: string): string | null {
	return code.length > 6 ? code.slice(0, code.length - 3) : null;
}

function checkVertices(records: SourceRecord[], limits: ImportLimits) {
	let total = 0;
	for (const r of records) {
		if (!r.geometry) continue;
		const n = countVertices(r.geometry);
		if (n > limits.maxVerticesPerGeometry) throw new ImportFileError('too_many_vertices', `${r.where}的几何有 ${n} 个顶点，超过单个图形上限 ${limits.maxVerticesPerGeometry}：请先简化（如 mapshaper、QGIS 简化）`);
		total += n;
	}
	if (total > limits.maxVerticesTotal) throw new ImportFileError('too_many_vertices', `文件共有 ${total} 个顶点，超过上限 ${limits.maxVerticesTotal}：请简化或拆分后导入`);
}

function polygonOf(rec: SourceRecord, crs: Crs, problem: (field: string, message: string) => void): Geometry | null {
	const why = rec.geometryError ?? polygonProblem(rec.geometry);
	if (why) {
		problem('geometry', why);
		return null;
	}
	return roundGeometry(toWgs84(rec.geometry!, crs));
}

function pointFor(rec: SourceRecord, values: Record<string, any>, crs: Crs, problem: (field: string, message: string) => void): Geometry | null {
	let p: number[] | string;
	if (values.lng != null && values.lat != null) p = [values.lng, values.lat];
	else if (rec.geometry) p = pointOf(rec.geometry);
	else return null; // the empty lng/lat cells were reported already
	if (typeof p === 'string') {
		problem('geometry', p);
		return null;
	}
	const why = positionProblem(p);
	if (why) {
		problem(values.lng != null ? '经度/纬度' : 'geometry', why);
		return null;
	}
	const [lng, lat] = toWgs84(p, crs).map((v) => Math.round(v * 1e7) / 1e7);
	delete values.lng;
	delete values.lat;
	return { type: 'Point', coordinates: [lng, lat] };
}
