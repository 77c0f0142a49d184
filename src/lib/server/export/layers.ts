// The exportable layers as SQL: columns (English names, see domain/exportspec.ts for the Chinese
// aliases), the geometry, a unique sort key for keyset paging, and each layer's filters. Values
// leave as stored codes ('open', 'property.elevator'), not labels, so an export imports back as
// the same data.
import { badParam, enumParam } from '../../domain/apierror';
import { parseBbox, type ExportLayer } from '../../domain/exportspec';
import { HAZARD_STATUSES, HAZARD_TYPES } from '../../domain/hazard';
import { parseRequestFilter, type RequestFilter } from '../../domain/requestfilter';
import { requestWhere } from '../requests/list';
import { ident, sql, type Fragment } from '../db/sql';

/**
 * text: as is; number; bool: true/false; time: timestamptz; tags: text[]; pii_*: personal data,
 * which the app role cannot read itself: `field` names a column of the layer's `pii` function
 * (pii_*_export of 0007), called once per batch of ids, masked or whole.
 */
export type PlainKind = 'text' | 'number' | 'bool' | 'time' | 'tags';
export type PiiKind = 'pii_name' | 'pii_phone' | 'pii_id';
export type ColumnKind = PlainKind | PiiKind;
export interface PlainColumn { name: string; sql: Fragment; kind: PlainKind }
export interface PiiColumn { name: string; field: string; kind: PiiKind }
export type Column = PlainColumn | PiiColumn;
export const isPii = (c: Column): c is PiiColumn => c.kind.startsWith('pii_');

export interface LayerSql {
	from: Fragment;
	/** unique, indexed sort key: batches are read as `key > last ORDER BY key` */
	key: Fragment;
	/** the 0007 function that gives this layer's personal data for a batch of keys (masked or whole) */
	pii?: Fragment;
	geom: Fragment;
	/** points get lon/lat columns in CSV/XLSX; polygons and routes a WKT column */
	point: boolean;
	columns: Column[];
	/** the layer's filters and the user's visible grids (conditions to AND); `viewer` exports */
	where(q: ExportQuery, viewer: Viewer): Fragment[];
}

/** who exports: visits follow the /visits list's rule (四不两直 plans stay with their leader) */
export interface Viewer { id: number; role: string }

export interface ExportQuery {
	area: string | null;
	bbox: [number, number, number, number] | null;
	/** grids the user may see in detail; null = all */
	grids: string[] | null;
	hazardStatuses: string[] | null;
	hazardTypes: string[] | null;
	request: RequestFilter;
	now: Date;
}


/** The filters of an export URL. Requests take exactly the /requests list's filters. */
export function parseExportQuery(p: URLSearchParams, grids: string[] | null, now = new Date()): ExportQuery {
	const area = p.get('area') || null;
	if (area && !/^\d{6}(\d{3}){0,3}$/.test(area)) throw badParam('area', `区域代码（area）应为 6/9/12/15 位数字，收到“${area}”`);
	const list = <T extends string>(field: string, label: string, allowed: readonly T[]) =>
		p.get(field) ? p.get(field)!.split(',').map((s) => enumParam(s, field, label, allowed)) : null;
	return {
		area, bbox: parseBbox(p.get('bbox')), grids, now,
		hazardStatuses: list('hazard_status', '隐患状态', HAZARD_STATUSES),
		hazardTypes: list('hazard_type', '隐患类型', HAZARD_TYPES),
		request: parseRequestFilter(p, now)
	};
}

const cols = (kind: PlainKind, ...pairs: [string, Fragment][]): Column[] => pairs.map(([name, sql]) => ({ name, sql, kind }));
const envelope = (geom: Fragment, b: [number, number, number, number]) =>
	sql`${geom} && ST_MakeEnvelope(${b[0]}, ${b[1]}, ${b[2]}, ${b[3]}, 4326)`;
const gridScope = (w: Fragment[], column: Fragment, q: ExportQuery) => {
	if (q.area) w.push(sql`${column} LIKE ${`${q.area}%`}`);
	if (q.grids) w.push(sql`${column} = ANY(${q.grids}::text[])`);
	return w;
};

export const LAYERS: Record<ExportLayer, LayerSql> = {
	grids: {
		from: sql`grids g LEFT JOIN users u ON u.id = g.manager_id`, key: sql`g.code`, geom: sql`g.geom`, point: false,
		columns: cols('text', ['code', sql`g.code`], ['name', sql`g.name`], ['community_code', sql`g.community_code`], ['manager', sql`u.username`]),
		// boundaries are public: every signed-in user may export every grid
		where: (q) => [
			...(q.area ? [sql`g.code LIKE ${`${q.area}%`}`] : []),
			...(q.bbox ? [envelope(sql`g.geom`, q.bbox)] : [])
		]
	},
	areas: {
		from: sql`areas a`, key: sql`a.code`, geom: sql`a.geom`, point: false,
		columns: cols('text', ['code', sql`a.code`], ['level', sql`a.level`], ['name', sql`a.name`], ['parent_code', sql`a.parent_code`], ['setting', sql`a.setting`]),
		where: (q) => [
			...(q.area ? [sql`a.code LIKE ${`${q.area}%`}`] : []),
			...(q.bbox ? [envelope(sql`a.geom`, q.bbox)] : [])
		]
	},
	households: {
		from: sql`households h JOIN buildings b ON b.id = h.building_id`, key: sql`h.id`, pii: ident('pii_households_export'), geom: sql`h.geom`, point: true,
		columns: [
			...cols('number', ['id', sql`h.id`]),
			...cols('text', ['grid_code', sql`h.grid_code`], ['building', sql`b.name`], ['address', sql`h.address`]),
			{ name: 'head_name', field: 'name', kind: 'pii_name' },
			{ name: 'phone', field: 'phone', kind: 'pii_phone' },
			{ name: 'id_number', field: 'id_number', kind: 'pii_id' },
			...cols('number', ['size', sql`h.size`]),
			...cols('tags', ['tags', sql`h.tags`]),
			...cols('time', ['last_visit_at', sql`h.last_visit_at`])
		],
		where: (q) => {
			const w = gridScope([], sql`h.grid_code`, q);
			if (q.bbox) w.push(envelope(sql`h.geom`, q.bbox));
			return w;
		}
	},
	hazards: {
		from: sql`hazards z`, key: sql`z.id`, geom: sql`z.geom`, point: true,
		columns: [
			...cols('text', ['code', sql`z.code`], ['type', sql`z.type`]),
			...cols('number', ['severity', sql`z.severity`]),
			...cols('text', ['status', sql`z.status`], ['title', sql`z.title`], ['grid_code', sql`z.grid_code`]),
			...cols('time', ['found_at', sql`z.found_at`], ['rectify_deadline', sql`z.rectify_deadline`], ['rectified_at', sql`z.rectified_at`],
				['reinspect_deadline', sql`z.reinspect_deadline`], ['reinspected_at', sql`z.reinspected_at`])
		],
		where: (q) => {
			const w = gridScope([], sql`z.grid_code`, q);
			if (q.hazardStatuses) w.push(sql`z.status = ANY(${q.hazardStatuses}::text[])`);
			if (q.hazardTypes) w.push(sql`z.type = ANY(${q.hazardTypes}::text[])`);
			if (q.bbox) w.push(envelope(sql`z.geom`, q.bbox));
			return w;
		}
	},
	requests: {
		from: sql`requests r LEFT JOIN departments d ON d.id = r.department_id`, key: sql`r.id`, pii: ident('pii_request_reporters_export'), geom: sql`r.geom`, point: true,
		columns: [
			...cols('text', ['code', sql`r.code`], ['kind', sql`r.kind`], ['category_code', sql`r.category_code`], ['channel', sql`r.channel`],
				['status', sql`r.status`], ['priority', sql`r.priority`], ['title', sql`r.title`], ['description', sql`r.description`],
				['grid_code', sql`r.grid_code`], ['department', sql`d.name`]),
			{ name: 'reporter_name', field: 'name', kind: 'pii_name' },
			{ name: 'reporter_phone', field: 'phone', kind: 'pii_phone' },
			...cols('text', ['address', sql`r.address`]),
			...cols('time', ['reported_at', sql`r.reported_at`], ['accept_deadline', sql`r.accept_deadline`],
				['resolve_deadline', sql`r.resolve_deadline`], ['resolved_at', sql`r.resolved_at`]),
			...cols('text', ['satisfaction', sql`r.satisfaction`])
		],
		// the /requests list's own WHERE, so the export holds exactly the rows the list shows
		where: (q) => [
			...requestWhere({ ...q.request, area: q.request.area ?? q.area }, q.grids, q.now),
			...(q.bbox ? [envelope(sql`r.geom`, q.bbox)] : [])
		]
	},
	visits: {
		from: sql`visits v JOIN users u ON u.id = v.leader_id`, key: sql`v.id`, geom: sql`v.route`, point: false,
		columns: [
			...cols('number', ['id', sql`v.id`]),
			...cols('text', ['title', sql`v.title`], ['visit_type', sql`v.visit_type`]),
			...cols('bool', ['unannounced', sql`v.unannounced`]),
			...cols('text', ['status', sql`v.status`], ['planned_date', sql`to_char(v.planned_date, 'YYYY-MM-DD')`], ['leader', sql`u.display_name`]),
			...cols('number', ['stops', sql`(SELECT count(*) FROM visit_stops s WHERE s.visit_id = v.id)`],
				['requests', sql`(SELECT count(*) FROM requests r WHERE r.visit_id = v.id)`]),
			...cols('text', ['findings', sql`v.findings`], ['decisions', sql`v.decisions`])
		],
		// the /visits list's rule (visits/store.ts listVisits): admins all, a leader their own, others
		// every announced plan and every visit already done
		where: (q, viewer) => [
			sql`(${viewer.role === 'admin'} OR v.leader_id = ${viewer.id} OR (${viewer.role !== 'screen'} AND (NOT v.unannounced OR v.status = 'done')))`,
			...(q.area ? [sql`EXISTS (SELECT 1 FROM visit_stops s WHERE s.visit_id = v.id AND s.grid_code LIKE ${`${q.area}%`})`] : []),
			...(q.bbox ? [envelope(sql`v.route`, q.bbox)] : [])
		]
	}
};

/** Columns that hold personal data, per layer (what an unmasked export reveals). */
export const piiColumns = (layer: ExportLayer) => LAYERS[layer].columns.filter(isPii).map((c) => c.name);
