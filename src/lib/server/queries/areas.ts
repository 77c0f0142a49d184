// The administrative tree the sidebar shows (district → streets → communities) with each area's
// bounding box, so a click can fit the map to it. Grids come from the grid GeoJSON.
import type { AreaNode } from '../../domain/areatree';
import type { Database } from '../db/client';

export type { AreaNode };

export async function areaList(db: Database): Promise<AreaNode[]> {
	const rows = await db.sql<{ code: string; name: string; level: AreaNode['level']; parent: string | null; w: number; s: number; e: number; n: number }>`
		SELECT code, name, level, parent_code AS parent,
		       ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n
		FROM areas ORDER BY code`;
	const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
	return rows.map(({ w, s, e, n, ...a }) => ({ ...a, bbox: [r6(w), r6(s), r6(e), r6(n)] }));
}
