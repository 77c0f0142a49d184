// The printable 走访路线单: for each stop, where it is, why we go, the open requests and hazards of
// its grid, the households to knock on (vulnerable, or longest without a visit) and whom to call
// there (the grid's 网格员, public on every community's 公示牌). Households' names are masked: the
// sheet is paper and leaves the building.
import type { Queryable } from '../db/client';
import { HAZARD_UNRECTIFIED_SQL, hazardOverdueSql, NOW, overdueSql, stageDeadlineSql } from '../db/fragments';
import { maskedHouseholds } from '../pii/masked';
import { OPEN_STATUSES } from '../../domain/workflow';
import type { SheetMapOutline } from '../../domain/sheetmap';

export async function sheetStops(db: Queryable, visitId: number) {
	const stops = await db.sql<{ seq: number; name: string; purpose: string; grid_code: string | null; address: string | null; grid_name: string | null; community: string | null; street: string | null; arrive: string | null; depart: string | null; must_visit: boolean; dwell_min: number; lon: number; lat: number }>`
		SELECT s.seq, s.name, s.purpose, s.grid_code, s.address, g.name AS grid_name, c.name AS community, st.name AS street,
		  to_char(s.arrive_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS arrive, to_char(s.depart_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS depart,
		  s.must_visit, s.dwell_min, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat
		FROM visit_stops s LEFT JOIN grids g ON g.code = s.grid_code LEFT JOIN areas c ON c.code = g.community_code LEFT JOIN areas st ON st.code = c.parent_code
		WHERE s.visit_id = ${visitId} ORDER BY s.seq`;
	const codes = stops.map((s) => s.grid_code).filter((c): c is string => !!c);
	const requests = await db.sql<{ grid_code: string; code: string; title: string; status: string; overdue: boolean }>`
		SELECT grid_code, code, title, status, overdue FROM (
		  SELECT grid_code, code, title, status, ${overdueSql(NOW, '')} AS overdue,
		    row_number() OVER (PARTITION BY grid_code ORDER BY ${stageDeadlineSql('')} NULLS LAST, id) AS k
		  FROM requests WHERE grid_code = ANY(${codes}) AND status = ANY(${[...OPEN_STATUSES]})) x
		WHERE k <= 5 ORDER BY grid_code, k`;
	const hazards = await db.sql<{ grid_code: string; code: string; title: string; severity: number; overdue: boolean }>`
		SELECT grid_code, code, title, severity, overdue FROM (
		  SELECT grid_code, code, title, severity, ${hazardOverdueSql(NOW, '')} AS overdue, row_number() OVER (PARTITION BY grid_code ORDER BY severity DESC, rectify_deadline) AS k
		  FROM hazards WHERE grid_code = ANY(${codes}) AND status IN ${HAZARD_UNRECTIFIED_SQL}) x
		WHERE k <= 5 ORDER BY grid_code, k`;
	const households = await db.sql<{ id?: number; grid_code: string; address: string; head_name: string | null; tags: string[]; last_visit: string | null }>`
		SELECT id, grid_code, address, tags, last_visit FROM (
		  SELECT id, grid_code, address, tags, to_char(last_visit_at, 'YYYY-MM-DD') AS last_visit,
		    row_number() OVER (PARTITION BY grid_code ORDER BY (cardinality(tags) > 0) DESC, last_visit_at NULLS FIRST, id) AS k
		  FROM households WHERE grid_code = ANY(${codes})) x
		WHERE k <= 5 ORDER BY grid_code, k`;
	const names = await maskedHouseholds(db, households.map((h) => h.id!));
	for (const h of households) {
		h.head_name = names.get(h.id!)?.name ?? null;
		delete h.id;
	}
	// SECURITY DEFINER (0021): colleagues' phones are otherwise closed to grid_app
	const contacts = await db.sql<{ grid_code: string; name: string; title: string | null; phone: string | null }>`
		SELECT grid_code, name, title, phone FROM grid_contacts(${codes})`;
	const by = <T extends { grid_code: string }>(rows: T[], code: string | null) => rows.filter((r) => r.grid_code === code);
	return stops.map((s) => ({
		...s, address: s.address ?? [s.street, s.community, s.grid_name].filter(Boolean).join(' · '),
		requests: by(requests, s.grid_code), hazards: by(hazards, s.grid_code),
		households: by(households, s.grid_code),
		contact: contacts.find((c) => c.grid_code === s.grid_code) ?? null
	}));
}

/** The outlines of the grids the stops are in, lightly simplified (~1 m), for the sheet's route map. */
export async function sheetOutlines(db: Queryable, gridCodes: string[]): Promise<SheetMapOutline[]> {
	const rows = await db.sql<{ geom: string }>`
		SELECT ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.00001), 6) AS geom FROM grids WHERE code = ANY(${gridCodes}) ORDER BY code`;
	return rows.map((r) => {
		const g = JSON.parse(r.geom) as { type: string; coordinates: unknown };
		return { polygons: (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as SheetMapOutline['polygons'] };
	});
}
