// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): the query parameters, the
// open/closed status mapping, jurisdiction_id, the discovery document, the error shape
// [{code, description}] and the XML bodies. Pure, so every rule is testable without a server.
// Error descriptions are Chinese, like every other answer of this service (apierror.ts): the people
// who read them are the district's and the 12345 platform's integrators, and errors from the shared
// request workflow (outside every grid, …) reach Open311 clients in Chinese anyway. The parameter's
// own name leads the description, since that is what the client sent.
import { ApiError } from './apierror';
import { isCalendarDate } from './calendardate';
import { OPEN_STATUSES, type RequestStatus } from './workflow';

/** An error as Open311 clients expect it: HTTP status, and [{code, description}] in the body. */
export class Open311Error extends ApiError {
	constructor(status: number, message: string, field?: string) {
		// Open311's code is the HTTP status; the string code is for logs
		super(status, `open311_${status}`, message, field);
	}
	body(): { code: number; description: string }[] {
		return [{ code: this.status, description: this.field ? `${this.field}: ${this.message}` : this.message }];
	}
}

export type Open311Format = 'json' | 'xml';
export type Open311Status = 'open' | 'closed';

export const openOrClosed = (s: string): Open311Status => ((OPEN_STATUSES as readonly string[]).includes(s as RequestStatus) ? 'open' : 'closed');

/** 'services.json' → ['services', 'json']; the last dot splits, since service codes hold dots. */
export function splitFormat(raw: string): [string, Open311Format] {
	const i = raw.lastIndexOf('.');
	const format = i < 0 ? '' : raw.slice(i + 1);
	if (format !== 'json' && format !== 'xml') throw new Open311Error(404, `未知格式“${format || raw}”：请用 .json 或 .xml`, 'format');
	return [raw.slice(0, i), format];
}

export interface Open311Query {
	ids: string[] | null;
	serviceCodes: string[] | null;
	start: Date;
	end: Date;
	statuses: Open311Status[] | null;
	page: number;
	pageSize: number;
}

const DAY = 86_400_000;
export const MAX_PAGE_SIZE = 1000;

function isoDate(raw: string, field: string): Date {
	// ISO 8601 with a date at least; a bare date or a time without offset is read as UTC+8 (district time)
	if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)) {
		throw new Open311Error(400, `应为 ISO 8601 时间，如 2026-11-21T08:00:00+08:00（不带时区按北京时间），收到“${raw}”`, field);
	}
	const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(raw) ? raw : raw.length === 10 ? `${raw}T00:00:00+08:00` : `${raw.replace(' ', 'T')}+08:00`;
	const t = Date.parse(zoned);
	if (Number.isNaN(t) || !isCalendarDate(raw)) throw new Open311Error(400, `不是有效的日期：“${raw}”`, field);
	return new Date(t);
}

function positive(raw: string | null, field: string, fallback: number, max: number): number {
	if (raw === null || raw === '') return fallback;
	const n = Number(raw);
	if (!/^\d+$/.test(raw) || n < 1 || n > max) throw new Open311Error(400, `应为 1–${max} 的整数，收到“${raw}”`, field);
	return n;
}

const list = (raw: string | null) => (raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : null);

/**
 * GET requests filters. As the standard says: without dates the last 90 days; a start date alone
 * runs 90 days forward, an end date alone 90 days back; service_request_id overrides the rest.
 */
export function parseOpen311Query(p: URLSearchParams, now = new Date()): Open311Query {
	const ids = list(p.get('service_request_id'));
	const startRaw = p.get('start_date');
	const endRaw = p.get('end_date');
	let start = startRaw ? isoDate(startRaw, 'start_date') : null;
	let end = endRaw ? isoDate(endRaw, 'end_date') : null;
	if (start && end && start > end) throw new Open311Error(400, '不能晚于 end_date', 'start_date');
	end ??= start ? new Date(start.getTime() + 90 * DAY) : now;
	start ??= new Date(end.getTime() - 90 * DAY);
	const statuses = list(p.get('status'))?.map((s) => {
		if (s !== 'open' && s !== 'closed') throw new Open311Error(400, `应为 open 或 closed，收到“${s}”`, 'status');
		return s as Open311Status;
	}) ?? null;
	return {
		ids, serviceCodes: list(p.get('service_code')), start, end, statuses,
		page: positive(p.get('page'), 'page', 1, 1_000_000),
		pageSize: positive(p.get('page_size'), 'page_size', 100, MAX_PAGE_SIZE)
	};
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

/** One XML element per key; arrays repeat `item`; null/undefined become empty elements. */
function xmlValue(tag: string, v: unknown, item: string): string {
	if (v === null || v === undefined) return `<${tag}/>`;
	if (Array.isArray(v)) return `<${tag}>${v.map((x) => xmlValue(item, x, item)).join('')}</${tag}>`;
	if (typeof v === 'object') return `<${tag}>${Object.entries(v).map(([k, x]) => xmlValue(k, x, 'value')).join('')}</${tag}>`;
	return `<${tag}>${esc(String(v))}</${tag}>`;
}

/** <root><item>…</item>…</root> as GeoReport v2's XML responses are shaped. */
export function toXml(root: string, item: string, rows: Record<string, unknown>[]): string {
	return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>${rows.map((r) => xmlValue(item, r, item)).join('')}</${root}>\n`;
}

export interface Open311Post {
	serviceCode: string;
	lon: number | null;
	lat: number | null;
	addressString: string | null;
	description: string;
	reporterName: string | null;
	phone: string | null;
	extra: Record<string, unknown>;
}

/** POST requests fields (form or JSON, already flattened to strings); attribute[x] go to extra.attributes. */
export function parseOpen311Post(f: Record<string, string>): Open311Post {
	const text = (field: string, max: number) => {
		const v = (f[field] ?? '').trim();
		if (v.length > max) throw new Open311Error(400, `最多 ${max} 个字，收到 ${v.length} 个`, field);
		return v || null;
	};
	const serviceCode = text('service_code', 64);
	if (!serviceCode) throw new Open311Error(400, '必填（可选值见 GET services.json）', 'service_code');
	const coord = (field: 'lat' | 'long', limit: number) => {
		const raw = text(field, 32);
		if (raw === null) return null;
		const n = Number(raw);
		if (!Number.isFinite(n) || Math.abs(n) > limit) throw new Open311Error(400, `应为 ±${limit} 以内的 WGS84 度数，收到“${raw}”`, field);
		return n;
	};
	const lat = coord('lat', 90);
	const lon = coord('long', 180);
	if ((lat === null) !== (lon === null)) throw new Open311Error(400, 'lat 与 long 须同时提供', lat === null ? 'lat' : 'long');
	const addressString = text('address_string', 200);
	if (lat === null && !addressString) throw new Open311Error(400, '须提供位置：lat 与 long，或 address_string', 'lat');
	const description = text('description', 4000);
	if (!description) throw new Open311Error(400, '必填：请描述问题', 'description');
	const phone = text('phone', 20);
	if (phone && !/^[0-9+\-\s()]{5,20}$/.test(phone)) throw new Open311Error(400, `不是电话号码：“${phone}”`, 'phone');
	const name = [text('last_name', 25), text('first_name', 25)].filter(Boolean).join('');
	const attributes: Record<string, string> = {};
	for (const [k, v] of Object.entries(f)) {
		const m = /^attribute\[(.{1,64})\]$/.exec(k);
		if (m) attributes[m[1]] = v;
	}
	const extra: Record<string, unknown> = {};
	for (const k of ['email', 'device_id', 'account_id', 'media_url'] as const) if (text(k, 300)) extra[k] = text(k, 300);
	if (Object.keys(attributes).length) extra.attributes = attributes;
	return { serviceCode, lon, lat, addressString, description, reporterName: name || null, phone, extra };
}

/**
 * jurisdiction_id (GeoReport v2): optional, "only required if the endpoint serves multiple
 * jurisdictions". Ours are the district codes (GB/T 2260, e.g. 430199). One that is given and is not
 * ours is, in the spec's words for every method, "404 - jurisdiction_id provided was not found".
 */
export function checkJurisdiction(raw: string | null | undefined, ours: readonly string[]): void {
	if (raw === null || raw === undefined || raw === '') return;
	if (!ours.includes(raw.trim())) {
		throw new Open311Error(404, `未找到辖区“${raw}”：本服务的 jurisdiction_id 是 ${ours.join('、') || '（尚无区县）'}，也可不传`, 'jurisdiction_id');
	}
}

export const GEOREPORT_V2 = 'http://wiki.open311.org/GeoReport_v2';
export const FORMATS = ['application/json', 'text/xml'] as const;
/** When this endpoint last changed in a way clients should notice (discovery's changeset). */
export const CHANGESET = '2026-12-01T00:00:00+08:00';

export interface Discovery {
	changeset: string;
	contact: string;
	key_service: string;
	endpoints: { specification: string; url: string; changeset: string; type: 'production' | 'test'; formats: string[] }[];
}

/** GeoReport v2 service discovery: one production endpoint, JSON and XML. `url` is the v2 base. */
export function discovery(url: string, contact: string, keyService: string): Discovery {
	return {
		changeset: CHANGESET, contact, key_service: keyService,
		endpoints: [{ specification: GEOREPORT_V2, url, changeset: CHANGESET, type: 'production', formats: [...FORMATS] }]
	};
}

/** discovery.xml as the spec shows it: <endpoints><endpoint>…<formats><format>…</format></formats>. */
export function discoveryXml(d: Discovery): string {
	const el = (tag: string, v: string) => `<${tag}>${esc(v)}</${tag}>`;
	const endpoints = d.endpoints.map((e) => `<endpoint>${el('specification', e.specification)}${el('url', e.url)}${el('changeset', e.changeset)}${el('type', e.type)}<formats>${e.formats.map((f) => el('format', f)).join('')}</formats></endpoint>`);
	return `<?xml version="1.0" encoding="utf-8"?>\n<discovery>${el('changeset', d.changeset)}${el('contact', d.contact)}${el('key_service', d.key_service)}<endpoints>${endpoints.join('')}</endpoints></discovery>\n`;
}
