// OGC API – Features collections: grids, hazards and requests, read with an exact bbox query
// (the GiST index's envelope test, then ST_Intersects with the box) and offset paging. Who reads what:
// - grids: anyone (boundaries are public, like the map's base layer);
// - requests: anyone, but only the public face Open311 already publishes (no reporter, no
//   petitions/disputes/wishes, household-linked ones coarse and without address);
// - hazards: a signed-in user or an API key, inside the grids that user may see (the register of
//   gas faults and dilapidated buildings is a working list, not an announcement).
// No collection ever carries names, phones or ID numbers.
import { isoCstOrNull } from '../../domain/time';
import { HAZARD_SEVERITY, HAZARD_STATUS, HAZARD_TYPE } from '../../domain/labels';
import { OgcError, type ItemsQuery } from '../../domain/ogc';
import type { SessionUser } from '../auth/user';
import { visibleGridCodes } from '../auth/visibility';
import type { Queryable } from '../db/client';
import { and, sql, type Fragment } from '../db/sql';
import { publicRequests } from '../open311/georeport';

export type CollectionId = 'grids' | 'hazards' | 'requests';

export interface CollectionDef {
	id: CollectionId;
	title: string;
	description: string;
	/** needs a signed-in user or an API key */
	restricted: boolean;
	/** the datetime parameter filters this column; null = the features have no time */
	time: Fragment | null;
}

export const COLLECTIONS: CollectionDef[] = [
	{ id: 'grids', title: '网格', description: '网格边界（15 位网格编码），WGS84', restricted: false, time: null },
	{ id: 'hazards', title: '隐患', description: '隐患台账：类型、等级、整改状态与时限（需登录或接口密钥，仅本人可见网格）', restricted: true, time: sql`z.found_at` },
	{ id: 'requests', title: '诉求', description: '公开诉求（与 Open311 相同的公开字段，不含个人信息；信访、纠纷、微心愿不公开）', restricted: false, time: sql`r.reported_at` }
];

export function collectionsFor(user: SessionUser | null): CollectionDef[] {
	return COLLECTIONS.filter((c) => !c.restricted || user);
}

/** The collection, or 404 when there is none, or 401 when it needs a sign-in the caller lacks. */
export function collectionFor(id: string, user: SessionUser | null): CollectionDef {
	const def = COLLECTIONS.find((c) => c.id === id);
	if (!def) throw new OgcError(404, 'NotFound', `没有集合“${id}”：可选 grids、hazards、requests`);
	if (def.restricted && !user) throw new OgcError(401, 'Unauthorized', `集合“${id}”需要登录或接口密钥（Authorization: Bearer …，或 ?api_key=…）`);
	return def;
}

/** The district's extent: every feature lies inside its grids. */
export async function extent(db: Queryable): Promise<[number, number, number, number] | null> {
	const [e] = await db.sql<{ w: number | null; s: number; e: number; n: number }>`
		SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(geom)::geometry AS x FROM grids) t`;
	return e && e.w !== null ? [e.w, e.s, e.e, e.n] : null;
}

export interface Feature { type: 'Feature'; id: string; geometry: unknown; properties: Record<string, unknown> }

/**
 * bbox (Part 1, /req/core/fc-bbox-response): features whose geometry INTERSECTS the box. `&&` alone
 * compares envelopes and lets in a grid whose envelope reaches into the box while the grid itself
 * does not (119 grids instead of 118 for the docs' example box); `&&` stays to say "use the GiST
 * index" to both back ends, ST_Intersects decides.
 */
const intersecting = (w: Fragment[], geom: Fragment, q: ItemsQuery) => {
	if (!q.bbox) return;
	const box = sql`ST_MakeEnvelope(${q.bbox[0]}, ${q.bbox[1]}, ${q.bbox[2]}, ${q.bbox[3]}, 4326)`;
	w.push(sql`${geom} && ${box} AND ST_Intersects(${geom}, ${box})`);
};
const during = (w: Fragment[], column: Fragment | null, q: ItemsQuery) => {
	if (!column || !q.datetime) return;
	const { start, end, endExclusive } = q.datetime;
	if (start) w.push(sql`${column} >= ${start}`);
	if (end) w.push(endExclusive ? sql`${column} < ${end}` : sql`${column} <= ${end}`);
};
const iso = (v: unknown) => isoCstOrNull(v as string | null);

interface Page { matched: number; features: Feature[] }

/** One page of a collection; `code` instead of a query fetches one feature by its id. */
export async function readItems(db: Queryable, def: CollectionDef, user: SessionUser | null, q: ItemsQuery, code?: string): Promise<Page> {
	if (def.id === 'requests') return requestItems(db, q, code);
	const w: Fragment[] = [];
	if (code !== undefined) w.push(def.id === 'grids' ? sql`g.code = ${code}` : sql`z.code = ${code}`);
	if (def.id === 'grids') {
		// the grids in force; one by its code even when retired (停用, 0021): old requests still name it
		if (code === undefined) w.push(sql`g.valid_to IS NULL`);
		intersecting(w, sql`g.geom`, q);
		return page(db, sql`FROM grids g JOIN areas a ON a.code = g.community_code WHERE ${and(w)}`, q, sql`g.code`,
			sql`g.code, g.name, g.community_code, a.name AS community, ST_AsGeoJSON(ST_ForcePolygonCCW(g.geom), 7) AS geometry`,
			(r) => ({ code: r.code, name: r.name, community_code: r.community_code, community: r.community }));
	}
	const grids = await visibleGridCodes(db, user);
	if (grids) w.push(sql`z.grid_code = ANY(${grids}::text[])`);
	intersecting(w, sql`z.geom`, q);
	during(w, def.time, q);
	return page(db, sql`FROM hazards z WHERE ${and(w)}`, q, sql`z.code`,
		sql`z.code, z.type, z.severity, z.status, z.title, z.grid_code, z.found_at, z.rectify_deadline, z.rectified_at, z.reinspected_at,
		 ST_AsGeoJSON(z.geom, 7) AS geometry`,
		(r) => ({
			code: r.code, type: r.type, type_label: HAZARD_TYPE[r.type] ?? r.type, severity: r.severity, severity_label: HAZARD_SEVERITY[r.severity] ?? null,
			status: r.status, status_label: HAZARD_STATUS[r.status] ?? r.status, title: r.title, grid_code: r.grid_code,
			found_at: iso(r.found_at), rectify_deadline: iso(r.rectify_deadline), rectified_at: iso(r.rectified_at), reinspected_at: iso(r.reinspected_at)
		}));
}

/** `from` is the FROM … WHERE … clause; `key` orders the pages. */
async function page(db: Queryable, from: Fragment, q: ItemsQuery, key: Fragment, select: Fragment,
	props: (r: Record<string, any>) => Record<string, unknown>): Promise<Page> {
	const [{ n }] = await db.sql<{ n: number }>`SELECT count(*) AS n ${from}`;
	const rows = await db.sql`SELECT ${select} ${from} ORDER BY ${key} LIMIT ${q.limit} OFFSET ${q.offset}`;
	return { matched: n, features: rows.map((r) => ({ type: 'Feature', id: r.code, geometry: JSON.parse(r.geometry), properties: props(r) })) };
}

async function requestItems(db: Queryable, q: ItemsQuery, code?: string): Promise<Page> {
	const w: Fragment[] = [];
	if (code !== undefined) w.push(sql`r.code = ${code}`);
	intersecting(w, sql`r.geom`, q);
	during(w, sql`r.reported_at`, q);
	const [{ n }] = await db.sql<{ n: number }>`SELECT count(*) AS n FROM requests r WHERE r.kind = 'request' AND ${and(w)}`;
	const rows = await publicRequests(db, w, sql`r.code`, q.limit, q.offset);
	return {
		matched: n,
		features: rows.map(({ id: _, lat, long, ...props }) => ({
			type: 'Feature', id: props.service_request_id, geometry: { type: 'Point', coordinates: [long, lat] }, properties: props
		}))
	};
}
