// Where a user works, for the map's first view and for dimming what is not theirs: the grids in
// their scope (row-level security's own test, app_sees_grid) and the extent to open the map on.
//   admin, the big screen      every grid          → the district
//   leader                     their jurisdiction  → their street (or community)
//   grid manager               their grids         → those grids
//   department, mediator       no grid             → their open requests (else the district)
// Computed as the user, cached per scope for a minute (open work moves; grids rarely do).
import { OPEN_SQL } from '../db/fragments';
import type { Queryable } from '../db/client';
import { scopeOf, systemOf } from '../access/userdb';
import { dbFor } from '../access/request';
import { perDatabase, TtlCache } from '../cache';
import { versions } from './versions';
import type { MapArea } from '../../domain/maparea';

export type { MapArea };

const cacheFor = perDatabase(() => new TtlCache<MapArea | null>(60_000, 256, 'user_area'));

type Extent = { w: number | null; s: number | null; e: number | null; n: number | null };
const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
const bboxOf = (x: Extent | undefined): MapArea['bbox'] | null =>
	x && x.w != null && x.s != null && x.e != null && x.n != null ? [r6(x.w), r6(x.s), r6(x.e), r6(x.n)] : null;

/** The user's area on the map, or null when the district has no grids yet. */
export async function userArea(db: Queryable): Promise<MapArea | null> {
	const scope = scopeOf(db);
	const v = await versions(db);
	return cacheFor(systemOf(db)).get(`${scope}:${v.grids}`, () => (scope === 'all' ? districtArea(db) : scopedArea(db)));
}

async function districtArea(db: Queryable): Promise<MapArea | null> {
	const [x] = await db.sql<Extent>`
		SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n FROM (SELECT ST_Extent(geom)::geometry AS b FROM grids) t`;
	const bbox = bboxOf(x);
	return bbox && { bbox, grids: null };
}

async function scopedArea(db: Queryable): Promise<MapArea | null> {
	const [x] = await db.sql<Extent & { grids: string[] | null }>`
		SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n, codes AS grids FROM (
			SELECT ST_Extent(geom)::geometry AS b, array_agg(code ORDER BY code) AS codes FROM grids WHERE app_sees_grid(code)) t`;
	const grids = x?.grids ?? [];
	const mine = bboxOf(x);
	if (mine) return { bbox: mine, grids };
	// no grid of their own: open the map on their open work (row-level security shows only theirs)
	const [w] = await db.sql<Extent>`
		SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n FROM (
			SELECT ST_Extent(geom)::geometry AS b FROM requests WHERE status IN ${OPEN_SQL}) t`;
	const work = bboxOf(w);
	if (work) return { bbox: work, grids };
	const district = await districtArea(db);
	return district && { bbox: district.bbox, grids };
}

/**
 * For the load of a page that shows a map (the map page, workspace, requests, hotspots, visits,
 * research, pairings, import, the big screen): the signed-in user's area, which <MapView> opens on
 * (as page data `mapArea`). Null when signed out, while the first start seeds or the database is
 * away: the map then opens on its own bounds or the country, and the page's load answers the fault.
 */
export async function mapArea(event: { locals: App.Locals }): Promise<MapArea | null> {
	if (!event.locals.user) return null;
	return dbFor({ locals: event.locals }).then(userArea).catch(() => null);
}
