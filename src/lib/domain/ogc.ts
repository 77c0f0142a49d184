// OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0): query parameters, paging links and
// the exception body, pure so every rule is testable without a server. Coordinates are CRS84
// (lon, lat WGS84), the only CRS Part 1 requires.
import { ApiError } from './apierror';
import { isCalendarDate } from './calendardate';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export const CONFORMANCE = [
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30'
];

export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

/**
 * Page sizes. A request without `limit` gets DEFAULT_LIMIT; one above MAX_LIMIT is capped to it
 * (Part 1, /req/core/fc-limit-response-1 and the limit permission: "not an error, use the maximum").
 * GDAL 3.6's OAPIF driver always asks `limit=10` (its PAGE_SIZE) and then follows our `next` links,
 * which are ours to write (Part 1 leaves them opaque): they ask at least NEXT_LIMIT, so `ogr2ogr`
 * without options reads 45 000 requests in 10 pages, not 4 500.
 */
export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;
export const NEXT_LIMIT = 5000;

/** An OGC exception: HTTP status and {code, description, parameter}. */
export class OgcError extends ApiError {
	constructor(status: number, code: string, message: string, parameter?: string) {
		super(status, code, message, parameter);
	}
	/** OGC's name for the field at fault */
	get parameter(): string | undefined {
		return this.field;
	}
	body() {
		return { code: this.code, description: this.message, ...(this.parameter ? { parameter: this.parameter } : {}) };
	}
}

// Messages are Chinese like every other answer of this service (apierror.ts); the parameter's own
// name leads, since that is what the caller typed.
const invalid = (parameter: string, message: string) => new OgcError(400, 'InvalidParameterValue', `${parameter}：${message}`, parameter);

/** A datetime filter: [start, end], either end open (null); a bare date's end is exclusive (the next day's 00:00). */
export interface TimeFilter {
	start: Date | null;
	end: Date | null;
	/** true when `end` is the first instant NOT included (a bare date as the end) */
	endExclusive: boolean;
}

export interface ItemsQuery {
	bbox: [number, number, number, number] | null;
	datetime: TimeFilter | null;
	limit: number;
	offset: number;
}

/** Parameters an items request may carry; anything else is a 400 (Part 1, /req/core/query-param-unknown). */
export const KNOWN_PARAMETERS = ['f', 'bbox', 'bbox-crs', 'limit', 'offset', 'datetime', 'api_key'] as const;
const KNOWN = new Set<string>(KNOWN_PARAMETERS);

/** f: only JSON (GeoJSON for features) is offered. */
export function checkFormat(p: URLSearchParams): void {
	const f = p.get('f');
	if (f !== null && !['json', 'geojson', 'application/json', GEOJSON].includes(f)) throw invalid('f', `只提供 JSON（f=json），收到“${f}”`);
}

/** limit: an integer ≥ 1; above MAX_LIMIT it is capped, not refused. */
function parseLimit(raw: string | null): number {
	if (raw === null || raw === '') return DEFAULT_LIMIT;
	if (!/^\d+$/.test(raw) || Number(raw) < 1) throw invalid('limit', `必须是不小于 1 的整数（超过 ${MAX_LIMIT} 按 ${MAX_LIMIT} 返回），收到“${raw}”`);
	return Math.min(Number(raw), MAX_LIMIT);
}

function parseOffset(raw: string | null): number {
	if (raw === null || raw === '') return 0;
	if (!/^\d+$/.test(raw) || Number(raw) > 1e9) throw invalid('offset', `必须是 0–1000000000 的整数，收到“${raw}”`);
	return Number(raw);
}

function parseBbox(raw: string | null): [number, number, number, number] | null {
	if (raw === null) return null;
	const n = raw.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
	if ((n.length !== 4 && n.length !== 6) || n.some((x) => !Number.isFinite(x))) {
		throw invalid('bbox', `应为 4 个数“最小经度,最小纬度,最大经度,最大纬度”（或含高度的 6 个数），收到“${raw}”`);
	}
	const [w, s, e, no] = n.length === 6 ? [n[0], n[1], n[3], n[4]] : n;
	if (w < -180 || e > 180 || s < -90 || no > 90) throw invalid('bbox', `超出经度 −180…180、纬度 −90…90：“${raw}”`);
	if (s > no) throw invalid('bbox', `南边界（${s}）在北边界（${no}）以北`);
	// a bbox crossing the antimeridian (w > e) cannot touch a Chinese district
	if (w > e) throw invalid('bbox', `不支持跨越 180° 经线的范围：西边界 ${w} 大于东边界 ${e}`);
	return [w, s, e, no];
}

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/;

/**
 * One end of a datetime: RFC 3339, or a bare date, or (leniently) a time without offset. The
 * district lives in Beijing time, as Open311 and every page do: a bare date is a Beijing calendar
 * day and a time without offset is +08:00.
 */
function instant(raw: string): Date {
	if (!DATE.test(raw) && !DATE_TIME.test(raw)) throw invalid('datetime', `应为 RFC 3339 时刻（2026-11-21T08:00:00+08:00）或日期（2026-11-21，北京时间），收到“${raw}”`);
	const zoned = DATE.test(raw) ? `${raw}T00:00:00+08:00` : /([Zz]|[+-]\d{2}:\d{2})$/.test(raw) ? raw : `${raw}+08:00`;
	const t = Date.parse(zoned.toUpperCase());
	if (Number.isNaN(t) || !isCalendarDate(raw)) throw invalid('datetime', `不是有效的日期：“${raw}”`);
	return new Date(t);
}

/**
 * datetime (Part 1, 7.15.4): an instant, or an interval "start/end" with ".." (or nothing) for an
 * open end. A bare date covers that whole Beijing day, as an instant and as either end.
 */
export function parseDatetime(raw: string | null): TimeFilter | null {
	if (raw === null) return null;
	const parts = raw.split('/');
	if (parts.length > 2) throw invalid('datetime', `应为一个时刻或区间“开始/结束”，收到“${raw}”`);
	const open = (s: string) => s === '..' || s === '';
	if (parts.length === 1) {
		if (open(parts[0])) throw invalid('datetime', '单个时刻不能为开放值（..）');
		const at = instant(parts[0]);
		return DATE.test(parts[0]) ? { start: at, end: new Date(at.getTime() + DAY_MS), endExclusive: true } : { start: at, end: at, endExclusive: false };
	}
	const [a, b] = parts;
	if (open(a) && open(b)) throw invalid('datetime', `区间至少要有一端：“${raw}”`);
	const start = open(a) ? null : instant(a);
	const endDay = !open(b) && DATE.test(b);
	const end = open(b) ? null : endDay ? new Date(instant(b).getTime() + DAY_MS) : instant(b);
	if (start && end && (endDay ? start >= end : start > end)) throw invalid('datetime', `开始晚于结束：“${raw}”`);
	return { start, end, endExclusive: endDay };
}

export function parseItemsQuery(p: URLSearchParams): ItemsQuery {
	for (const key of p.keys()) if (!KNOWN.has(key)) throw invalid(key, `未知参数；本接口接受 ${KNOWN_PARAMETERS.join('、')}`);
	checkFormat(p);
	const crs = p.get('bbox-crs');
	if (crs !== null && crs !== CRS84) throw invalid('bbox-crs', `只支持 ${CRS84}，收到“${crs}”`);
	return { bbox: parseBbox(p.get('bbox')), datetime: parseDatetime(p.get('datetime')), limit: parseLimit(p.get('limit')), offset: parseOffset(p.get('offset')) };
}

export interface Link { href: string; rel: string; type: string; title?: string }

/** self, next and prev links of an items page; `url` is the request's own URL. The next page is at least NEXT_LIMIT long. */
export function pageLinks(url: URL, q: ItemsQuery, matched: number): Link[] {
	const at = (offset: number, limit: number) => {
		const u = new URL(url);
		u.searchParams.set('offset', String(offset));
		u.searchParams.set('limit', String(limit));
		return u.toString();
	};
	const links: Link[] = [{ href: url.toString(), rel: 'self', type: GEOJSON, title: '本页' }];
	if (q.offset + q.limit < matched) links.push({ href: at(q.offset + q.limit, Math.max(q.limit, NEXT_LIMIT)), rel: 'next', type: GEOJSON, title: '下一页' });
	if (q.offset > 0) links.push({ href: at(Math.max(0, q.offset - q.limit), q.limit), rel: 'prev', type: GEOJSON, title: '上一页' });
	return links;
}
