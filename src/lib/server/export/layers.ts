// The exportable layers as SQL: columns (English names, see domain/exportspec.ts for the Chinese
// aliases), the geometry, a unique sort key for keyset paging, and each layer's filters. Values
// leave as stored codes ('open', 'property.elevator'), not labels, so an export imports back as
// the same data.
import { badParam, enumParam } from '../../domain/apierror';
import { parseBbox, type ExportLayer } from '../../domain/exportspec';
import { parseRequestFilter, type RequestFilter } from '../../domain/requestfilter';
import { requestWhere } from '../requests/list';
import { Where } from '../db/fragments';

/**
 * text: as is; number; bool: true/false; time: timestamptz; tags: text[]; pii_*: personal data,
 * which the app role cannot read itself: `sql` names a column of the layer's `pii` function
 * (pii_*_export of 0007), called once per batch of ids, masked or whole.
 */
export type ColumnKind = 'text' | 'number' | 'bool' | 'time' | 'tags' | 'pii_name' | 'pii_phone' | 'pii_id';
export interface Column { name: string; sql: string; kind: ColumnKind }

export interface LayerSql {
	from: string;
	/** unique, indexed sort key: batches are read as `key > last ORDER BY key` */
	key: string;
	/** the 0007 function that gives this layer's personal data for a batch of keys (masked or whole) */
	pii?: string;
	geom: string;
	/** points get lon/lat columns in CSV/XLSX; polygons and routes a WKT column */
	point: boolean;
	columns: Column[];
	/** the layer's filters and the user's visible grids, added to `w`; `viewer` exports */
	where(w: Where, q: ExportQuery, viewer: Viewer): void;
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

const HAZARD_STATUSES = ['open', 'rectifying', 'rectified', 'verified'] as const;
const HAZARD_TYPES = ['fire_access', 'gas', 'dilapidated', 'flooding', 'road', 'e_bike', 'other'] as const;

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

const cols = (kind: ColumnKind, ...pairs: [string, string][]): Column[] => pairs.map(([name, sql]) => ({ name, sql, kind }));
const envelope = (w: Where, geom: string, b: [number, number, number, number]) =>
	w.add(`${geom} && ST_MakeEnvelope(?, ?, ?, ?, 4326)`, ...b);
const gridScope = (w: Where, column: string, q: ExportQuery) => {
	if (q.area) w.add(`${column} LIKE ?`, `${q.area}%`);
	if (q.grids) w.add(`${column} = ANY(?::text[])`, q.grids);
};

export const LAYERS: Record<ExportLayer, LayerSql> = {
	grids: {
		from: 'grids g LEFT JOIN users u ON u.id = g.manager_id', key: 'g.code', geom: 'g.geom', point: false,
		columns: cols('text', ['code', 'g.code'], ['name', 'g.name'], ['community_code', 'g.community_code'], ['manager', 'u.username']),
		// boundaries are public: every signed-in user may export every grid
		where: (w, q) => {
			if (q.area) w.add('g.code LIKE ?', `${q.area}%`);
			if (q.bbox) envelope(w, 'g.geom', q.bbox);
		}
	},
	areas: {
		from: 'areas a', key: 'a.code', geom: 'a.geom', point: false,
		columns: cols('text', ['code', 'a.code'], ['level', 'a.level'], ['name', 'a.name'], ['parent_code', 'a.parent_code'], ['setting', 'a.setting']),
		where: (w, q) => {
			if (q.area) w.add('a.code LIKE ?', `${q.area}%`);
			if (q.bbox) envelope(w, 'a.geom', q.bbox);
		}
	},
	households: {
		from: 'households h JOIN buildings b ON b.id = h.building_id', key: 'h.id', pii: 'pii_households_export', geom: 'h.geom', point: true,
		columns: [
			...cols('number', ['id', 'h.id']),
			...cols('text', ['grid_code', 'h.grid_code'], ['building', 'b.name'], ['address', 'h.address']),
			{ name: 'head_name', sql: 'name', kind: 'pii_name' },
			{ name: 'phone', sql: 'phone', kind: 'pii_phone' },
			{ name: 'id_number', sql: 'id_number', kind: 'pii_id' },
			...cols('number', ['size', 'h.size']),
			...cols('tags', ['tags', 'h.tags']),
			...cols('time', ['last_visit_at', 'h.last_visit_at'])
		],
		where: (w, q) => {
			gridScope(w, 'h.grid_code', q);
			if (q.bbox) envelope(w, 'h.geom', q.bbox);
		}
	},
	hazards: {
		from: 'hazards z', key: 'z.id', geom: 'z.geom', point: true,
		columns: [
			...cols('text', ['code', 'z.code'], ['type', 'z.type']),
			...cols('number', ['severity', 'z.severity']),
			...cols('text', ['status', 'z.status'], ['title', 'z.title'], ['grid_code', 'z.grid_code']),
			...cols('time', ['found_at', 'z.found_at'], ['rectify_deadline', 'z.rectify_deadline'], ['rectified_at', 'z.rectified_at'],
				['reinspect_deadline', 'z.reinspect_deadline'], ['reinspected_at', 'z.reinspected_at'])
		],
		where: (w, q) => {
			gridScope(w, 'z.grid_code', q);
			if (q.hazardStatuses) w.add('z.status = ANY(?::text[])', q.hazardStatuses);
			if (q.hazardTypes) w.add('z.type = ANY(?::text[])', q.hazardTypes);
			if (q.bbox) envelope(w, 'z.geom', q.bbox);
		}
	},
	requests: {
		from: 'requests r LEFT JOIN departments d ON d.id = r.department_id', key: 'r.id', pii: 'pii_request_reporters_export', geom: 'r.geom', point: true,
		columns: [
			...cols('text', ['code', 'r.code'], ['kind', 'r.kind'], ['category_code', 'r.category_code'], ['channel', 'r.channel'],
				['status', 'r.status'], ['priority', 'r.priority'], ['title', 'r.title'], ['description', 'r.description'],
				['grid_code', 'r.grid_code'], ['department', 'd.name']),
			{ name: 'reporter_name', sql: 'name', kind: 'pii_name' },
			{ name: 'reporter_phone', sql: 'phone', kind: 'pii_phone' },
			...cols('text', ['address', 'r.address']),
			...cols('time', ['reported_at', 'r.reported_at'], ['accept_deadline', 'r.accept_deadline'],
				['resolve_deadline', 'r.resolve_deadline'], ['resolved_at', 'r.resolved_at']),
			...cols('text', ['satisfaction', 'r.satisfaction'])
		],
		// the /requests list's own WHERE, so the export holds exactly the rows the list shows
		where: (w, q) => {
			const list = requestWhere({ ...q.request, area: q.request.area ?? q.area }, q.grids, q.now);
			const shift = w.params.length;
			w.parts.push(list.text.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + shift}`));
			w.params.push(...list.params);
			if (q.bbox) envelope(w, 'r.geom', q.bbox);
		}
	},
	visits: {
		from: 'visits v JOIN users u ON u.id = v.leader_id', key: 'v.id', geom: 'v.route', point: false,
		columns: [
			...cols('number', ['id', 'v.id']),
			...cols('text', ['title', 'v.title'], ['visit_type', 'v.visit_type']),
			...cols('bool', ['unannounced', 'v.unannounced']),
			...cols('text', ['status', 'v.status'], ['planned_date', `to_char(v.planned_date, 'YYYY-MM-DD')`], ['leader', 'u.display_name']),
			...cols('number', ['stops', '(SELECT count(*) FROM visit_stops s WHERE s.visit_id = v.id)'],
				['requests', '(SELECT count(*) FROM requests r WHERE r.visit_id = v.id)']),
			...cols('text', ['findings', 'v.findings'], ['decisions', 'v.decisions'])
		],
		// the /visits list's rule (visits/store.ts listVisits): admins all, a leader their own, others
		// every announced plan and every visit already done
		where: (w, q, viewer) => {
			w.add(`(? OR v.leader_id = ? OR (? AND (NOT v.unannounced OR v.status = 'done')))`, viewer.role === 'admin', viewer.id, viewer.role !== 'screen');
			if (q.area) w.add('EXISTS (SELECT 1 FROM visit_stops s WHERE s.visit_id = v.id AND s.grid_code LIKE ?)', `${q.area}%`);
			if (q.bbox) envelope(w, 'v.route', q.bbox);
		}
	}
};

/** Columns that hold personal data, per layer (what an unmasked export reveals). */
export const piiColumns = (layer: ExportLayer) => LAYERS[layer].columns.filter((c) => c.kind.startsWith('pii_')).map((c) => c.name);
