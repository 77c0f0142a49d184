// Open311 GeoReport v2 on our request loop. Services are the leaf categories of the catalogue
// (service_code = category code, e.g. 'municipal.streetlight'); 矛盾纠纷 and 微心愿 are not
// services. A POST is a 点单 like any other: a request row plus its 'report' event, channel
// 'open311', acting as the API key's user. Reads are public and carry no personal data: only
// kind 'request' (never 信访, 纠纷, 微心愿), the title instead of the free-text description, no
// reporter, and for a request tied to a household (its title names the home) only the service
// name, no address, and a position rounded to ~100 m.
import { isoCst, isoCstOrNull } from '../../domain/time';
import { fromDatabaseError } from '../http/errors';
import { asUser, systemOf } from '../access/userdb';
import { checkJurisdiction, discovery, Open311Error, openOrClosed, type Discovery, type Open311Post, type Open311Query } from '../../domain/open311';
import { STATUS_LABEL, type RequestStatus } from '../../domain/workflow';
import { ApiError } from '../../domain/apierror';
import type { NewRequest } from '../../domain/requestinput';
import type { SessionUser } from '../auth/user';
import type { Db, Queryable } from '../db/client';
import { OPEN_SQL } from '../db/fragments';
import { and, sql, type Fragment } from '../db/sql';
import { reportRequest } from '../requests/report';

/** The jurisdiction_ids this endpoint serves: its district codes. */
export async function jurisdictions(db: Queryable): Promise<string[]> {
	return (await db.sql<{ code: string }>`SELECT code FROM areas WHERE level = 'district' ORDER BY code`).map((r) => r.code);
}

/** Refuses a jurisdiction_id that is given and is not one of ours (404, as the spec says). */
export async function requireJurisdiction(db: Queryable, raw: string | null | undefined): Promise<void> {
	if (raw) checkJurisdiction(raw, await jurisdictions(db));
}

/**
 * The discovery document for the endpoint at `v2Url`. Contact and key service are the district's
 * own words: OPEN311_CONTACT and OPEN311_KEY_SERVICE, with defaults that say who to ask.
 */
export function discoveryFor(v2Url: string): Discovery {
	return discovery(v2Url,
		process.env.OPEN311_CONTACT || '请联系本区网格化服务管理中心（本系统管理员）',
		process.env.OPEN311_KEY_SERVICE || '接口密钥由本系统管理员签发（POST /api/api-keys，每个密钥代表一个账号），提交诉求时以 api_key 字段传入');
}

/** Category trees that are not citizen service requests. */
const NOT_SERVICES = ['dispute', 'wish'];

export interface Service {
	service_code: string; service_name: string; description: string; metadata: boolean; type: 'realtime'; keywords: string; group: string;
}

export async function listServices(db: Queryable): Promise<Service[]> {
	const rows = await db.sql<{ code: string; name: string; group: string | null; nature: string; department: string | null }>`
		SELECT c.code, c.name, p.name AS group, c.nature, d.name AS department FROM categories c
		LEFT JOIN categories p ON p.code = c.parent_code LEFT JOIN departments d ON d.id = c.department_id
		WHERE NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_code = c.code)
		  AND split_part(c.code, '.', 1) <> ALL(${NOT_SERVICES}::text[])
		ORDER BY c.code`;
	return rows.map((r) => ({
		service_code: r.code, service_name: r.name, metadata: false, type: 'realtime', group: r.group ?? r.name,
		description: `${r.group ? r.group + '／' : ''}${r.name}${r.department ? `（责任部门：${r.department}）` : ''}`,
		keywords: [r.group, r.name, r.nature].filter(Boolean).join(',')
	}));
}

/** A service definition: we ask no extra questions, so attributes is empty (metadata false). */
export async function serviceDefinition(db: Queryable, code: string) {
	const service = (await listServices(db)).find((s) => s.service_code === code);
	if (!service) throw new Open311Error(404, `没有服务“${code}”（可选值见 GET services.json）`, 'service_code');
	return { service_code: code, attributes: [] as unknown[] };
}

export interface PublicRequest {
	id: number; service_request_id: string; status: 'open' | 'closed'; status_notes: string; service_name: string; service_code: string;
	description: string; agency_responsible: string | null; service_notice: string | null; requested_datetime: string;
	updated_datetime: string; expected_datetime: string | null; address: string | null; address_id: null; zipcode: null;
	lat: number; long: number; media_url: null;
}

/** The public face of requests: shared by Open311 and the OGC API. `w` holds extra conditions on r. */
export async function publicRequests(db: Queryable, w: Fragment[], order: Fragment, limit: number, offset: number): Promise<PublicRequest[]> {
	const rows = await db.sql`
		SELECT r.id, r.code, r.status, r.category_code, c.name AS category_name, r.title, d.name AS department,
		  r.reported_at, greatest(r.reported_at, r.dispatched_at, r.accepted_at, r.resolved_at, r.evaluated_at, r.closed_at) AS updated_at,
		  r.resolve_deadline, r.household_id IS NOT NULL AS private_place, r.address, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat
		FROM requests r JOIN categories c ON c.code = r.category_code LEFT JOIN departments d ON d.id = r.department_id
		WHERE r.kind = 'request' AND ${and(w)} ORDER BY ${order} LIMIT ${Number(limit)} OFFSET ${Number(offset)}`;
	return rows.map((r) => {
		const digits = r.private_place ? 1e3 : 1e5;
		return {
			id: r.id, service_request_id: r.code, status: openOrClosed(r.status), status_notes: STATUS_LABEL[r.status as RequestStatus] ?? r.status,
			service_name: r.category_name, service_code: r.category_code, description: r.private_place ? r.category_name : r.title, agency_responsible: r.department,
			service_notice: null, requested_datetime: isoCst(r.reported_at), updated_datetime: isoCst(r.updated_at),
			expected_datetime: isoCstOrNull(r.resolve_deadline),
			address: r.private_place ? null : r.address, address_id: null, zipcode: null,
			lat: Math.round(r.lat * digits) / digits, long: Math.round(r.lon * digits) / digits, media_url: null
		};
	});
}

/** GET requests: the standard filters, newest first, one page. */
export async function listOpen311Requests(db: Queryable, q: Open311Query): Promise<PublicRequest[]> {
	const w: Fragment[] = [];
	if (q.ids) w.push(sql`r.code = ANY(${q.ids}::text[])`);
	else {
		w.push(sql`r.reported_at >= ${q.start} AND r.reported_at <= ${q.end}`);
		if (q.serviceCodes) w.push(sql`r.category_code = ANY(${q.serviceCodes}::text[])`);
		if (q.statuses?.length === 1) w.push(q.statuses[0] === 'open' ? sql`r.status IN ${OPEN_SQL}` : sql`r.status NOT IN ${OPEN_SQL}`);
	}
	return publicRequests(db, w, sql`r.reported_at DESC, r.id DESC`, q.pageSize, (q.page - 1) * q.pageSize);
}

export async function getOpen311Request(db: Queryable, code: string): Promise<PublicRequest> {
	const [r] = await publicRequests(db, [sql`r.code = ${code}`], sql`r.id`, 1, 0);
	if (!r) throw new Open311Error(404, `没有诉求“${code}”（或它不公开）`, 'service_request_id');
	return r;
}

/** POST requests: a 点单 through the request workflow. Returns the GeoReport receipt. */
export async function postOpen311Request(db: Db, user: SessionUser, p: Open311Post) {
	if (user.role === 'screen') throw new Open311Error(403, '该接口密钥不能提交诉求', 'api_key');
	const service = (await listServices(db)).find((s) => s.service_code === p.serviceCode);
	if (!service) throw new Open311Error(400, `没有服务“${p.serviceCode}”（可选值见 GET services.json）`, 'service_code');
	let { lon, lat } = p;
	if (lon === null || lat === null) {
		// no geocoder offline: an address string must name a known building or household address exactly
		const [at] = await db.sql<{ lon: number; lat: number }>`
			SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM (
			  SELECT geom, 1 AS k FROM buildings WHERE name = ${p.addressString} UNION ALL
			  SELECT geom, 2 FROM households WHERE address = ${p.addressString}) a ORDER BY k LIMIT 1`;
		if (!at) throw new Open311Error(400, `无法定位“${p.addressString}”：请提供 lat 与 long`, 'address_string');
		({ lon, lat } = at);
	}
	const input: NewRequest = {
		kind: 'request', categoryCode: p.serviceCode,
		channel: 'open311' as NewRequest['channel'], // allowed by 0010; not offered in our own forms
		priority: 'normal', title: p.description.slice(0, 30), description: p.description, lon, lat,
		address: p.addressString, reporterName: p.reporterName, reporterPhone: p.phone,
		householdId: null, leaderId: null, mediatorId: null, details: { open311: p.extra }
	};
	try {
		// as the key's user, under row-level security, like a report from our own pages
		const created = await reportRequest(asUser(systemOf(db), user), user, input, null, null);
		return [{ service_request_id: created.code, service_notice: `已受理，由${service.group}相关部门处理`, account_id: null }];
	} catch (e) {
		// our validation (outside every grid, …) in Open311's shape
		if (e instanceof ApiError) throw new Open311Error(e.status, e.message, e.field === 'lon' ? 'long' : e.field);
		// row-level security: the key's user may not report at this place
		if (fromDatabaseError(e)) throw new Open311Error(403, '该接口密钥的账号不能在此位置上报诉求', 'lat');
		throw e;
	}
}
