// The columns of each layer: the name stored, the Chinese label, the header aliases a real 台账
// uses (Chinese and English), whether required, and how a cell becomes a value. A parse function
// returns the value or throws a FieldProblem whose message names the problem in Chinese.
import { COLUMN_ALIAS } from '../exportspec';
import { FEATURE_ID_COLUMN } from './sources';
import { CHANNEL, HAZARD_SEVERITY, HAZARD_STATUS, HAZARD_TYPE, HOUSEHOLD_TAG, PRIORITY, REQUEST_KIND, SETTING } from '../labels';
import type { Layer } from './types';

export class FieldProblem extends Error {}

export interface FieldSpec {
	key: string;
	label: string;
	aliases: string[];
	required: boolean;
	parse: (raw: unknown) => unknown;
	/** used when the column is absent or the cell empty */
	fallback?: unknown;
}

const str = (raw: unknown): string => (raw instanceof Date ? raw.toISOString() : String(raw)).trim();

function text(max: number) {
	return (raw: unknown) => {
		const v = str(raw);
		if (v.length > max) throw new FieldProblem(`不能超过 ${max} 个字，现在 ${v.length} 个`);
		return v;
	};
}

function digits(n: number | number[]) {
	const lengths = Array.isArray(n) ? n : [n];
	return (raw: unknown) => {
		const v = str(raw);
		if (!/^[0-9]+$/.test(v) || !lengths.includes(v.length)) throw new FieldProblem(`必须是 ${lengths.join(' 或 ')} 位数字，收到“${v}”`);
		return v;
	};
}

function number(min: number, max: number, integer = false) {
	return (raw: unknown) => {
		const v = typeof raw === 'number' ? raw : Number(str(raw));
		if (!Number.isFinite(v)) throw new FieldProblem(`必须是数字，收到“${str(raw)}”`);
		if (integer && !Number.isInteger(v)) throw new FieldProblem(`必须是整数，收到 ${v}`);
		if (v < min || v > max) throw new FieldProblem(`必须在 ${min}–${max} 之间，收到 ${v}`);
		return v;
	};
}

/** A stored code, given as the code itself or its Chinese label. */
function oneOf(labels: Record<string, string>, extra: Record<string, string> = {}) {
	const byLabel = new Map<string, string>();
	for (const [code, label] of Object.entries(labels)) byLabel.set(code.toLowerCase(), code).set(label, code);
	for (const [alias, code] of Object.entries(extra)) byLabel.set(alias, code);
	return (raw: unknown) => {
		const v = str(raw);
		const code = byLabel.get(v) ?? byLabel.get(v.toLowerCase());
		if (!code) throw new FieldProblem(`无法识别“${v}”，可选：${Object.values(labels).join('、')}`);
		return code;
	};
}

const PHONE = /^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}|[0-9]{5,8})$/;
function phone(raw: unknown) {
	const v = str(raw).replace(/[\s()（）]/g, '');
	if (!PHONE.test(v)) throw new FieldProblem(`不是有效的电话号码：“${str(raw)}”`);
	return v;
}

/** What Excel (or LibreOffice) does to an ID number in a cell formatted as a number. */
export const ID_NUMBER_AS_NUMBER = 'Excel 把身份证号存成了数字，已丢失末尾几位：请把该列设为文本后重新导出';

/**
 * Was this ID number kept as a number by a spreadsheet? A number holds 15 significant digits, so
 * an 18-digit ID comes back with its last digits as 0 (or in 4.30102E+17 notation), and its check
 * digit then fails: naming that cause beats "校验位不正确" on 34 of 40 rows.
 */
function idNumberLostDigits(raw: unknown, v: string): boolean {
	if (typeof raw === 'number') return true;
	if (/^\d(\.\d+)?E\+?\d+$/i.test(v)) return true;
	return /^\d{15}000$/.test(v);
}

/** 18-digit resident ID (GB 11643) with its ISO 7064 MOD 11-2 check digit. */
export function idNumber(raw: unknown) {
	const v = str(raw).toUpperCase();
	if (idNumberLostDigits(raw, v) && !validIdNumber(v)) throw new FieldProblem(`${ID_NUMBER_AS_NUMBER}（收到“${v}”）`);
	if (!/^[0-9]{17}[0-9X]$/.test(v)) throw new FieldProblem(`身份证号必须是 18 位（末位可为 X），收到“${v}”`);
	if (!validIdNumber(v)) throw new FieldProblem(`身份证号校验位不正确：“${v}”`);
	return v;
}

/** 18 characters whose last is the ISO 7064 MOD 11-2 check digit of the first 17 (GB 11643). */
function validIdNumber(v: string): boolean {
	if (!/^[0-9]{17}[0-9X]$/.test(v)) return false;
	const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	return '10X98765432'[weights.reduce((s, w, i) => s + w * Number(v[i]), 0) % 11] === v[17];
}

/**
 * A time: ISO 8601, “2026-03-05 14:30[:00]”, “2026/3/5”, or a spreadsheet date. No zone = 北京时间:
 * a spreadsheet date has no zone either (the library hands it over with the typed wall-clock time in
 * its UTC fields), so it is read as Beijing time too, as our own .xlsx exports write it.
 */
export function time(raw: unknown): string {
	if (raw instanceof Date) {
		if (Number.isNaN(raw.getTime())) throw new FieldProblem('不是有效的日期');
		return new Date(raw.getTime() - 8 * 3_600_000).toISOString();
	}
	const v = str(raw);
	const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
	if (!m) throw new FieldProblem(`不是有效的时间：“${v}”，请写成 2026-03-05 14:30`);
	const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0));
	const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
	if (wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw new FieldProblem(`不是有效的时间：“${v}”`);
	const zone = m[7] ?? '+08:00';
	const offsetMin = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
	const at = new Date(wall.getTime() - offsetMin * 60_000);
	return at.toISOString();
}

function tags(raw: unknown): string[] {
	const parse = oneOf(HOUSEHOLD_TAG);
	return str(raw).split(/[,，;；、|\s]+/).filter(Boolean).map((t) => parse(t) as string);
}

function severity(raw: unknown): number {
	const v = str(raw);
	if (/^[1-4]$/.test(v)) return Number(v);
	const found = Object.entries(HAZARD_SEVERITY).find(([, label]) => label === v);
	if (!found) throw new FieldProblem(`必须是 1–4 或 ${Object.values(HAZARD_SEVERITY).join('/')}，收到“${v}”`);
	return Number(found[0]);
}

const lng = { key: 'lng', label: '经度', aliases: ['经度', 'lng', 'lon', 'long', 'longitude', 'x'], required: true, parse: number(-1e9, 1e9) };
const lat = { key: 'lat', label: '纬度', aliases: ['纬度', 'lat', 'latitude', 'y'], required: true, parse: number(-1e9, 1e9) };
const gridCode = { key: 'grid_code', label: '网格编码', aliases: ['网格编码', '所属网格', '网格代码', 'grid_code', 'grid'], required: false, parse: digits(15) };
const address = { key: 'address', label: '地址', aliases: ['地址', '住址', '详细地址', 'address'], required: false, parse: text(200) };

const SPECS: Record<Layer, FieldSpec[]> = {
	areas: [
		{ key: 'code', label: '区划代码', aliases: ['区划代码', '编码', '代码', 'code', 'area_code', 'adcode', FEATURE_ID_COLUMN], required: true, parse: digits([6, 9, 12]) },
		{ key: 'name', label: '名称', aliases: ['名称', '区划名称', 'name'], required: true, parse: text(60) },
		{ key: 'setting', label: '城乡类型', aliases: ['城乡类型', '城乡', 'setting'], required: false, parse: oneOf(SETTING, { 城市: 'urban', 城镇: 'urban', 街道: 'urban', 社区: 'urban', 乡村: 'rural', 镇: 'rural', 村: 'rural' }), fallback: 'urban' }
	],
	grids: [
		{ key: 'code', label: '网格编码', aliases: ['网格编码', '网格代码', '编码', 'code', 'grid_code', FEATURE_ID_COLUMN], required: true, parse: digits(15) },
		{ key: 'name', label: '网格名称', aliases: ['网格名称', '名称', 'name'], required: true, parse: text(60) }
	],
	households: [
		{ key: 'head_name', label: '户主姓名', aliases: ['户主姓名', '户主', '姓名', 'head_name', 'name'], required: true, parse: text(40) },
		{ ...address, required: true },
		{ key: 'building', label: '楼栋', aliases: ['楼栋', '楼栋/院落', '小区楼栋', '院落', 'building'], required: false, parse: text(100) },
		{ key: 'phone', label: '电话', aliases: ['电话', '联系电话', '手机', '手机号', 'phone'], required: false, parse: phone },
		{ key: 'id_number', label: '身份证号', aliases: ['身份证号', '身份证', '证件号码', 'id_number', 'idnumber'], required: false, parse: idNumber },
		{ key: 'size', label: '家庭人口', aliases: ['家庭人口', '人口', '户人数', '人数', 'size'], required: false, parse: number(1, 20, true), fallback: 1 },
		{ key: 'tags', label: '人群标签', aliases: ['人群标签', '重点人群标签', '标签', '特殊人群', 'tags'], required: false, parse: tags, fallback: [] },
		gridCode, lng, lat
	],
	hazards: [
		{ key: 'code', label: '隐患编号', aliases: ['隐患编号', '编号', 'code', FEATURE_ID_COLUMN], required: true, parse: text(40) },
		{ key: 'title', label: '隐患描述', aliases: ['隐患描述', '标题', '描述', '名称', 'title'], required: true, parse: text(200) },
		{ key: 'type', label: '隐患类型', aliases: ['隐患类型', '类型', 'type'], required: true, parse: oneOf(HAZARD_TYPE, { 消防通道: 'fire_access', 燃气: 'gas', 电动车: 'e_bike', 危房: 'dilapidated', 内涝: 'flooding', 积水: 'flooding', 道路: 'road', 其他: 'other' }) },
		{ key: 'severity', label: '等级', aliases: ['等级', '隐患等级', '严重程度', 'severity'], required: true, parse: severity },
		{ key: 'status', label: '状态', aliases: ['状态', '整改状态', 'status'], required: false, parse: oneOf(HAZARD_STATUS, { 已整改: 'rectified', 已复查: 'verified', 已销号: 'verified' }), fallback: 'open' },
		{ key: 'found_at', label: '发现时间', aliases: ['发现时间', '发现日期', 'found_at'], required: true, parse: time },
		{ key: 'rectify_deadline', label: '整改期限', aliases: ['整改期限', '整改时限', 'rectify_deadline'], required: true, parse: time },
		{ key: 'rectified_at', label: '整改时间', aliases: ['整改时间', '整改完成时间', 'rectified_at'], required: false, parse: time },
		{ key: 'reinspect_deadline', label: '复查期限', aliases: ['复查期限', '复查时限', 'reinspect_deadline'], required: false, parse: time },
		{ key: 'reinspected_at', label: '复查时间', aliases: ['复查时间', 'reinspected_at'], required: false, parse: time },
		gridCode, lng, lat
	],
	requests: [
		{ key: 'code', label: '诉求编号', aliases: ['诉求编号', '编号', '工单号', 'code', FEATURE_ID_COLUMN], required: true, parse: text(40) },
		{ key: 'title', label: '标题', aliases: ['标题', '诉求标题', '事项', 'title'], required: true, parse: text(200) },
		{ key: 'description', label: '诉求内容', aliases: ['诉求内容', '内容', '描述', 'description'], required: false, parse: text(2000), fallback: '' },
		{ key: 'category', label: '类别', aliases: ['类别', '小类', '诉求类别', '类别编码', 'category', 'category_code'], required: true, parse: text(60) },
		{ key: 'channel', label: '渠道', aliases: ['渠道', '来源', '来源渠道', 'channel'], required: true, parse: oneOf(CHANNEL, { 网格员: 'grid', '12345': 'hotline_12345', 热线: 'hotline_12345' }) },
		{ key: 'kind', label: '类型', aliases: ['类型', '诉求类型', 'kind'], required: false, parse: oneOf(REQUEST_KIND), fallback: 'request' },
		{ key: 'priority', label: '紧急程度', aliases: ['紧急程度', '优先级', 'priority'], required: false, parse: oneOf(PRIORITY), fallback: 'normal' },
		{ key: 'reported_at', label: '上报时间', aliases: ['上报时间', '受理时间', '反映时间', 'reported_at'], required: true, parse: time },
		{ key: 'status', label: '状态', aliases: ['状态', '办理状态', 'status'], required: false, parse: (raw) => { const v = str(raw); return v === '已上报' || v === '上报' || v === 'reported' ? 'reported' : v; } },
		{ key: 'reporter_name', label: '反映人', aliases: ['反映人', '上报人', '诉求人', 'reporter_name', 'reporter'], required: false, parse: text(40) },
		{ key: 'reporter_phone', label: '联系电话', aliases: ['联系电话', '反映人电话', '电话', 'reporter_phone', 'phone'], required: false, parse: phone },
		address, gridCode, lng, lat
	]
};

export function fieldsOf(layer: Layer): FieldSpec[] {
	return SPECS[layer];
}

/** Header text as compared: no BOM, case, spaces, underscores or a trailing “（说明）”. */
export function normalizeHeader(h: string): string {
	return h.replace(/^\uFEFF/, '').replace(/[(（][^)）]*[)）]\s*$/, '').replace(/[\s_\-*]/g, '').toLowerCase();
}

/**
 * Which source column feeds each field: the first alias that matches, in alias order (so
 * “户主姓名” wins over a generic “姓名” when both are present). Unknown columns are ignored. What
 * the export writes (codes=1 names or the Chinese headers for people) always reads back.
 */
export function mapColumns(layer: Layer, headers: string[]): Map<string, string> {
	const byNorm = new Map<string, string>();
	for (const h of headers) if (!byNorm.has(normalizeHeader(h))) byNorm.set(normalizeHeader(h), h);
	const used = new Set<string>();
	const out = new Map<string, string>();
	for (const f of SPECS[layer]) {
		// and, last, the header our own export for people gives the column (exportspec COLUMN_ALIAS)
		for (const alias of COLUMN_ALIAS[f.key] ? [...f.aliases, COLUMN_ALIAS[f.key]] : f.aliases) {
			const h = byNorm.get(normalizeHeader(alias));
			if (h !== undefined && !used.has(h)) {
				out.set(f.key, h);
				used.add(h);
				break;
			}
		}
	}
	return out;
}
