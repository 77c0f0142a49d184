// Updating areas and grids by code (导入方式“更新”): the staged file measured against the stored
// rows (the preview's diff), then written in the import's one transaction. A grid whose shape or
// name changes keeps its old version in grid_versions until now() (0021); a grid the file leaves
// out of its community is retired (valid_to = now()) only when the admin asked for it; nothing is
// deleted, so every request, hazard and visit keeps the grid it was filed in.
import { diffRows, type ImportDiff, type MeasuredRow } from '../../domain/import/diff';
import type { Feature } from 'geojson';
import type { Queryable } from '../db/client';
import { sql } from '../db/sql';

type PolygonLayer = 'areas' | 'grids';

/**
 * Measures each staged row against its code and marks import_stage.change ('added', 'changed',
 * 'same') for the writes; returns the diff the preview shows.
 */
export async function diffStage(tx: Queryable, layer: PolygonLayer, retireMissing: boolean): Promise<ImportDiff> {
	await tx.sql`ALTER TABLE import_stage ADD COLUMN IF NOT EXISTS change text`;
	const measured = layer === 'grids'
		? await tx.sql<MeasuredRow & { rn: number }>`
			SELECT s.rn, s.v->>'code' AS code, s.v->>'name' AS name, g.name AS "oldName", g.valid_to IS NOT NULL AS retired,
			       ST_Area(g.geom::geography) AS "beforeM2", ST_Area(s.geom::geography) AS "afterM2",
			       ST_Area(ST_CollectionExtract(ST_SymDifference(g.geom, s.geom), 3)::geography) AS "movedM2"
			FROM import_stage s LEFT JOIN grids g ON g.code = s.v->>'code' ORDER BY s.rn`
		: await tx.sql<MeasuredRow & { rn: number }>`
			SELECT s.rn, s.v->>'code' AS code, s.v->>'name' AS name, a.name AS "oldName", false AS retired,
			       ST_Area(a.geom::geography) AS "beforeM2", ST_Area(s.geom::geography) AS "afterM2",
			       ST_Area(ST_CollectionExtract(ST_SymDifference(a.geom, s.geom), 3)::geography) AS "movedM2"
			FROM import_stage s LEFT JOIN areas a ON a.code = s.v->>'code' ORDER BY s.rn`;
	const missing = layer === 'grids' ? await missingGrids(tx) : [];
	const diff = diffRows(measured, missing, layer === 'grids' && retireMissing);
	const changed = new Set([...diff.reshaped, ...diff.renamed].map((e) => e.code));
	const added = new Set(diff.added.map((e) => e.code));
	const change = measured.map((m) => ({ rn: m.rn, c: added.has(m.code) ? 'added' : changed.has(m.code) ? 'changed' : 'same' }));
	await tx.sql`UPDATE import_stage s SET change = e->>'c' FROM jsonb_array_elements(${JSON.stringify(change)}::jsonb) e WHERE s.rn = (e->>'rn')::int`;
	return diff;
}

/** Current grids of the communities the file covers whose codes the file does not have. */
async function missingGrids(tx: Queryable) {
	return tx.sql<{ code: string; name: string; m2: number }>`
		SELECT g.code, g.name, ST_Area(g.geom::geography) AS m2 FROM grids g
		WHERE g.valid_to IS NULL AND g.community_code IN (SELECT v->>'community_code' FROM import_stage)
		  AND NOT EXISTS (SELECT 1 FROM import_stage s WHERE s.v->>'code' = g.code)
		ORDER BY g.code`;
}

/** For the preview map: the stored shapes the update replaces (调整前) and the grids it would retire. */
export async function beforeShapes(tx: Queryable, layer: PolygonLayer, retireMissing: boolean): Promise<Feature[]> {
	const table = layer === 'grids' ? sql`grids` : sql`areas`;
	const rows = await tx.sql<{ kind: string; label: string; geom: string }>`
		SELECT 'before' AS kind, t.name || '（调整前）' AS label, ST_AsGeoJSON(t.geom, 6) AS geom
		FROM ${table} t JOIN import_stage s ON s.v->>'code' = t.code WHERE s.change = 'changed' AND NOT ST_Equals(t.geom, s.geom) ORDER BY s.rn`;
	if (layer === 'grids' && retireMissing) rows.push(...(await tx.sql<{ kind: string; label: string; geom: string }>`
		SELECT 'retired' AS kind, g.name || '（将停用）' AS label, ST_AsGeoJSON(g.geom, 6) AS geom FROM grids g
		WHERE g.valid_to IS NULL AND g.community_code IN (SELECT v->>'community_code' FROM import_stage)
		  AND NOT EXISTS (SELECT 1 FROM import_stage s WHERE s.v->>'code' = g.code) ORDER BY g.code`));
	return rows.map((r) => ({ type: 'Feature', properties: { kind: r.kind, label: r.label }, geometry: JSON.parse(r.geom) }));
}

/** Writes the marked stage (diffStage first). Returns the rows written per kind of change. */
export async function writeUpdate(tx: Queryable, layer: PolygonLayer, o: { retireMissing: boolean; jobId: number; setting: boolean }): Promise<Record<string, number>> {
	const count = async (rows: Promise<unknown[]>) => (await rows).length;
	if (layer === 'areas') {
		const updated = await count(tx.sql`UPDATE areas a SET name = s.v->>'name', geom = s.geom, label_point = ST_PointOnSurface(s.geom),
				setting = CASE WHEN ${o.setting}::boolean THEN s.v->>'setting' ELSE a.setting END
			FROM import_stage s WHERE a.code = s.v->>'code' AND s.change = 'changed' RETURNING 1`);
		const added = await count(tx.sql`INSERT INTO areas (code, level, name, parent_code, setting, geom, label_point)
			SELECT v->>'code', v->>'level', v->>'name', v->>'parent_code', v->>'setting', geom, ST_PointOnSurface(geom)
			FROM import_stage WHERE change = 'added' ORDER BY length(v->>'code'), rn RETURNING 1`);
		return { areas_added: added, areas_updated: updated };
	}
	// the version being replaced ends now (a retired grid brought back: when it was retired)
	const versions = await count(tx.sql`INSERT INTO grid_versions (grid_code, name, geom, valid_from, valid_to, import_job_id)
		SELECT g.code, g.name, g.geom, g.valid_from, coalesce(g.valid_to, now()), ${o.jobId}
		FROM grids g JOIN import_stage s ON s.v->>'code' = g.code WHERE s.change = 'changed' OR (s.change = 'added' AND g.valid_to IS NOT NULL) RETURNING 1`);
	const updated = await count(tx.sql`UPDATE grids g SET name = s.v->>'name', geom = s.geom, label_point = ST_PointOnSurface(s.geom), valid_from = now(), valid_to = NULL
		FROM import_stage s WHERE g.code = s.v->>'code' AND (s.change = 'changed' OR (s.change = 'added' AND g.valid_to IS NOT NULL)) RETURNING 1`);
	const added = await count(tx.sql`INSERT INTO grids (code, community_code, name, geom, label_point, valid_from)
		SELECT v->>'code', v->>'community_code', v->>'name', geom, ST_PointOnSurface(geom), now() FROM import_stage s
		WHERE s.change = 'added' AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.code = s.v->>'code') ORDER BY rn RETURNING 1`);
	const retired = o.retireMissing ? await count(tx.sql`UPDATE grids g SET valid_to = now()
		WHERE g.valid_to IS NULL AND g.community_code IN (SELECT v->>'community_code' FROM import_stage)
		  AND NOT EXISTS (SELECT 1 FROM import_stage s WHERE s.v->>'code' = g.code) RETURNING 1`) : 0;
	return { grids_added: added, grids_updated: updated, grids_retired: retired, grid_versions: versions };
}
