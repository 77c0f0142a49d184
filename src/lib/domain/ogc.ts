// OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0): query parameters, paging links and
// the exception body, pure so every rule is testable without a server. Coordinates are CRS84
// (lon, lat WGS84), the only CRS Part 1 requires.
import { ApiError } from './apierror';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export const CONFORMANCE = [
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30'
];

export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

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

const invalid = (parameter: string, message: string) => new OgcError(400, 'InvalidParameterValue', `${parameter}: ${message}`, parameter);

export interface ItemsQuery {
	bbox: [number, number, number, number] | null;
	/** [start, end] instants, either end open (null) */
	datetime: [Date | null, Date | null] | null;
	limit: number;
	offset: number;
}

/** Parameters an items request may carry; anything else is a 400 (Part 1, /req/core/query-param-unknown). */
const KNOWN = new Set(['f', 'bbox', 'bbox-crs', 'limit', 'offset', 'datetime', 'api_key']);

/** f: only JSON (GeoJSON for features) is offered. */
export function checkFormat(p: URLSearchParams): void {
	const f = p.get('f');
	if (f !== null && !['json', 'geojson', 'application/json', GEOJSON].includes(f)) throw invalid('f', `only f=json is offered, got "${f}"`);
}

function integer(raw: string | null, parameter: string, fallback: number, min: number, max: number): number {
	if (raw === null || raw === '') return fallback;
	if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw invalid(parameter, `must be an integer from ${min} to ${max}, got "${raw}"`);
	return Number(raw);
}

function parseBbox(raw: string | null): [number, number, number, number] | null {
	if (raw === null) return null;
	const n = raw.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
	if ((n.length !== 4 && n.length !== 6) || n.some((x) => !Number.isFinite(x))) {
		throw invalid('bbox', `must be 4 numbers "minLon,minLat,maxLon,maxLat" (or 6 with heights), got "${raw}"`);
	}
	const [w, s, e, no] = n.length === 6 ? [n[0], n[1], n[3], n[4]] : n;
	if (w < -180 || e > 180 || s < -90 || no > 90) throw invalid('bbox', `lies outside lon −180…180, lat −90…90: "${raw}"`);
	if (s > no) throw invalid('bbox', `its south (${s}) is north of its north (${no})`);
	// a bbox crossing the antimeridian (w > e) cannot touch a Chinese district
	if (w > e) throw invalid('bbox', `crossing the antimeridian is not supported: west ${w} > east ${e}`);
	return [w, s, e, no];
}

function instant(raw: string): Date | null {
	if (raw === '..' || raw === '') return null;
	if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/.test(raw)) throw invalid('datetime', `must be RFC 3339 (2026-11-21T08:00:00Z) or a date, got "${raw}"`);
	// a bare date is a Beijing calendar day, as in Open311 and on every page
	const t = Date.parse(raw.length === 10 ? `${raw}T00:00:00+08:00` : raw);
	if (Number.isNaN(t)) throw invalid('datetime', `is not a real date: "${raw}"`);
	return new Date(t);
}

function parseDatetime(raw: string | null): [Date | null, Date | null] | null {
	if (raw === null) return null;
	const parts = raw.split('/');
	if (parts.length > 2) throw invalid('datetime', `must be an instant or an interval "start/end", got "${raw}"`);
	if (parts.length === 1) {
		const at = instant(parts[0]);
		if (!at) throw invalid('datetime', 'an instant cannot be open ("..")');
		// a bare date means that whole (Beijing) day
		return [at, parts[0].length === 10 ? new Date(at.getTime() + 86_400_000 - 1) : at];
	}
	const [a, b] = parts.map(instant);
	if (a && b && a > b) throw invalid('datetime', `its start is after its end: "${raw}"`);
	return [a, b];
}

export function parseItemsQuery(p: URLSearchParams): ItemsQuery {
	for (const key of p.keys()) if (!KNOWN.has(key)) throw invalid(key, `unknown parameter; this API knows ${[...KNOWN].join(', ')}`);
	checkFormat(p);
	const crs = p.get('bbox-crs');
	if (crs !== null && crs !== CRS84) throw invalid('bbox-crs', `only ${CRS84} is supported, got "${crs}"`);
	return { bbox: parseBbox(p.get('bbox')), datetime: parseDatetime(p.get('datetime')), limit: integer(p.get('limit'), 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT), offset: integer(p.get('offset'), 'offset', 0, 0, 1e9) };
}

export interface Link { href: string; rel: string; type: string; title?: string }

/** self, next and prev links of an items page; `url` is the request's own URL. */
export function pageLinks(url: URL, q: ItemsQuery, matched: number): Link[] {
	const at = (offset: number) => {
		const u = new URL(url);
		u.searchParams.set('offset', String(offset));
		u.searchParams.set('limit', String(q.limit));
		return u.toString();
	};
	const links: Link[] = [{ href: url.toString(), rel: 'self', type: GEOJSON, title: '本页' }];
	if (q.offset + q.limit < matched) links.push({ href: at(q.offset + q.limit), rel: 'next', type: GEOJSON, title: '下一页' });
	if (q.offset > 0) links.push({ href: at(Math.max(0, q.offset - q.limit)), rel: 'prev', type: GEOJSON, title: '上一页' });
	return links;
}
