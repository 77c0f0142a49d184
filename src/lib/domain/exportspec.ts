// What can be exported, in which formats, with which column names: pure values shared by the
// export endpoints, their tests, the import (helper columns use these English names; the Chinese
// labels are the documented aliases) and the docs. No database, no framework.
import { badParam, enumParam } from './apierror';
import { AREA_LEVEL, CHANNEL, HAZARD_SEVERITY, HAZARD_STATUS, HAZARD_TYPE, HOUSEHOLD_TAG, PRIORITY, REQUEST_KIND, REQUEST_STATUS, SATISFACTION, SETTING, VISIT_STATUS, VISIT_TYPE } from './labels';

export const EXPORT_LAYERS = ['grids', 'areas', 'households', 'hazards', 'requests', 'visits'] as const;
export type ExportLayer = (typeof EXPORT_LAYERS)[number];

export const EXPORT_FORMATS = ['geojson', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const LAYER_LABEL: Record<ExportLayer, string> = {
	grids: '网格', areas: '行政区划', households: '住户台账', hazards: '隐患台账', requests: '诉求清单', visits: '走访记录'
};

export const FORMAT_TYPE: Record<ExportFormat, string> = {
	geojson: 'application/geo+json; charset=utf-8',
	csv: 'text/csv; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
};

/**
 * Column name → Chinese alias. The English name is the CSV/XLSX header and the GeoJSON property;
 * points carry `lon`/`lat` (WGS84 degrees), polygons a `wkt` column in CSV/XLSX.
 */
export const COLUMN_ALIAS: Record<string, string> = {
	id: '编号', code: '编码', name: '名称', level: '层级', parent_code: '上级编码', setting: '城乡类型', community_code: '社区编码',
	manager: '网格员账号', grid_code: '网格编码', building: '楼栋/院落', address: '地址', head_name: '户主姓名', phone: '联系电话',
	id_number: '身份证号', size: '户人数', tags: '重点人群标签', last_visit_at: '最近走访时间', type: '类型', severity: '等级',
	status: '状态', title: '标题', found_at: '发现时间', rectify_deadline: '整改时限', rectified_at: '整改时间',
	reinspect_deadline: '复查时限', reinspected_at: '复查时间', kind: '诉求类型', category_code: '类别编码', channel: '来源渠道',
	priority: '紧急程度', description: '描述', department: '责任部门', reporter_name: '反映人', reporter_phone: '反映人电话',
	reported_at: '上报时间', accept_deadline: '接单时限', resolve_deadline: '办结时限', resolved_at: '办结时间',
	satisfaction: '满意度', visit_type: '走访类型', unannounced: '四不两直', planned_date: '计划日期', leader: '领导',
	stops: '站点数', requests: '发现诉求数', findings: '发现问题', decisions: '决定事项', lon: '经度', lat: '纬度', wkt: '几何(WKT)',
	category: '类别'
};

/**
 * 导出给人看 (the default for CSV and .xlsx): Chinese headers, and these columns' stored codes as
 * the labels every page shows; `codes=1` keeps the English names and the codes (what a program or
 * a re-import wants; the import reads either). GeoJSON always keeps names and codes: it is for GIS
 * tools and other programs.
 */
export const VALUE_LABELS: Partial<Record<ExportLayer, Record<string, Readonly<Record<string, string>>>>> = {
	areas: { level: AREA_LEVEL, setting: SETTING },
	households: { tags: HOUSEHOLD_TAG },
	hazards: { type: HAZARD_TYPE, severity: HAZARD_SEVERITY, status: HAZARD_STATUS },
	requests: { kind: REQUEST_KIND, channel: CHANNEL, status: REQUEST_STATUS, priority: PRIORITY, satisfaction: SATISFACTION },
	visits: { visit_type: VISIT_TYPE, status: VISIT_STATUS, unannounced: { true: '是', false: '否' } }
};

/** A column's header in a file for people (the Chinese alias) or for programs (its name). */
export const exportHeader = (name: string, codes: boolean): string => (codes ? name : (COLUMN_ALIAS[name] ?? name));

/** A stored value as people read it: the label of a code, each of a ';'-joined tag list; anything else as it is. */
export function exportLabel(layer: ExportLayer, column: string, value: string): string {
	const labels = VALUE_LABELS[layer]?.[column];
	if (!labels) return value;
	return column === 'tags' ? value.split(';').filter(Boolean).map((t) => labels[t] ?? t).join('、') : (labels[value] ?? value);
}

/** `grids.csv` → ['grids', 'csv'], or a 400 naming `layer` / `format`. */
export function parseExportTarget(raw: string): [ExportLayer, ExportFormat] {
	const m = /^([a-z]+)\.([a-z]+)$/.exec(raw);
	if (!m) throw badParam('layer', `导出地址应为 /api/export/{图层}.{格式}，例如 grids.geojson，收到“${raw}”`);
	return [enumParam(m[1], 'layer', '图层', EXPORT_LAYERS), enumParam(m[2], 'format', '导出格式', EXPORT_FORMATS)];
}

/** [west, south, east, north] in WGS84 degrees from 'w,s,e,n', or a 400 naming `field`. */
export function parseBbox(raw: string | null, field = 'bbox'): [number, number, number, number] | null {
	if (raw === null || raw === '') return null;
	const parts = raw.split(',');
	const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
	if (parts.length !== 4 || nums.some((n) => !Number.isFinite(n))) {
		throw badParam(field, `范围（${field}）应为 4 个数字“西,南,东,北”（WGS84 经纬度），收到“${raw}”`);
	}
	const [w, s, e, n] = nums;
	if (w < -180 || e > 180 || s < -90 || n > 90) throw badParam(field, `范围（${field}）超出经度 −180…180、纬度 −90…90：“${raw}”`);
	if (w > e || s > n) throw badParam(field, `范围（${field}）的西/南必须不大于东/北：“${raw}”`);
	return [w, s, e, n];
}

/** RFC 6266 + RFC 5987: an ASCII fallback name and the Chinese one, percent-encoded UTF-8. */
export function contentDisposition(asciiName: string, name: string): string {
	const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
	return `attachment; filename="${asciiName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

