// The smallest valid place chain for integration cases: district → street → community → grid,
// unit squares near Changsha (112.9, 28.2). Idempotent, so cases in one file may all call it.
import type { Queryable } from '../../../src/lib/server/db/client';

export interface Place {
	district: string;
	street: string;
	community: string;
	grid: string;
}

/** A square MultiPolygon in EWKT, `size` degrees wide, lower-left at (x, y). */
export function squareEwkt(x: number, y: number, size = 0.01): string {
	const [x2, y2] = [x + size, y + size];
	return `SRID=4326;MULTIPOLYGON(((${x} ${y},${x2} ${y},${x2} ${y2},${x} ${y2},${x} ${y})))`;
}

/** Inserts the chain under a 6-digit district code unless it is there already. */
export async function ensurePlace(db: Queryable, district = '430104'): Promise<Place> {
	if (!/^[0-9]{6}$/.test(district)) throw new Error(`ensurePlace: district must be 6 digits, got "${district}"`);
	const place = { district, street: district + '001', community: district + '001001', grid: district + '001001001' };
	const geom = squareEwkt(112.9, 28.2);
	const label = 'SRID=4326;POINT(112.905 28.205)';
	const levels: [string, string, string | null][] = [
		[place.district, 'district', null],
		[place.street, 'street', place.district],
		[place.community, 'community', place.street]
	];
	for (const [code, level, parent] of levels) {
		await db.sql`INSERT INTO areas (code, level, name, parent_code, setting, geom, label_point)
			VALUES (${code}, ${level}, ${'测试' + code}, ${parent}, 'urban', ${geom}, ${label})
			ON CONFLICT (code) DO NOTHING`;
	}
	await db.sql`INSERT INTO grids (code, community_code, name, geom, label_point)
		VALUES (${place.grid}, ${place.community}, ${'测试网格'}, ${geom}, ${label})
		ON CONFLICT (code) DO NOTHING`;
	return place;
}

/**
 * A second street beside the first (ensurePlace): street 002 of the same district, with one
 * community and one grid (测试网格B), the unit square east of the first (112.91–112.92).
 */
export async function ensureSecondPlace(db: Queryable, district: string): Promise<Place> {
	const first = await ensurePlace(db, district);
	const place = { district, street: district + '002', community: district + '002001', grid: district + '002001001' };
	const geom = squareEwkt(112.91, 28.2);
	const label = 'SRID=4326;POINT(112.915 28.205)';
	for (const [code, level, parent] of [[place.street, 'street', first.district], [place.community, 'community', place.street]] as const) {
		await db.sql`INSERT INTO areas (code, level, name, parent_code, setting, geom, label_point)
			VALUES (${code}, ${level}, ${'测试' + code}, ${parent}, 'urban', ${geom}, ${label})
			ON CONFLICT (code) DO NOTHING`;
	}
	await db.sql`INSERT INTO grids (code, community_code, name, geom, label_point)
		VALUES (${place.grid}, ${place.community}, '测试网格B', ${geom}, ${label})
		ON CONFLICT (code) DO NOTHING`;
	return place;
}
