// Per layer: the checks that need the database (run against import_stage) and the INSERTs that
// move staged rows into the real tables. Messages are Chinese and name the row and the field.
import type { Feature, FeatureCollection } from 'geojson';
import type { Layer, RowIssue } from '../../domain/import/types';
import type { SessionUser } from '../auth/user';
import type { Queryable } from '../db/client';
import { sql, type Fragment } from '../db/sql';

interface IssueRow { rn: number; where_: string; field: string | null; message: string; level: 'error' | 'warning' }
interface Checked { issues: RowIssue[]; map: FeatureCollection }
interface CheckOptions {
	replaceDemo: boolean;
	crsLabel: string;
	/** update by code: a code already stored is changed, not refused */
	update?: boolean;
	/** update: the file's communities lose the grids it leaves out (they do not count for tiling) */
	retireMissing?: boolean;
}

export { SLIVER_M2 } from '../../domain/import/tiling';
import { SLIVER_M2, TILING_TOLERANCE_TEXT, tilingLevel } from '../../domain/import/tiling';
const MAP_FEATURES = 3000;

const toIssues = (rows: IssueRow[]): RowIssue[] => rows.map((r) => ({ row: r.rn, where: r.where_, field: r.field, message: r.message, level: r.level }));

export async function checkLayer(tx: Queryable, layer: Layer, o: CheckOptions): Promise<Checked> {
	const issues: IssueRow[] = [];
	const extra: Feature[] = [];
	if (layer === 'areas' || layer === 'grids') issues.push(...(await repairPolygons(tx)));
	if (layer === 'areas') issues.push(...(await checkAreas(tx, o.replaceDemo, !!o.update)));
	if (layer === 'grids') {
		issues.push(...(await checkGrids(tx, !!o.update)));
		extra.push(...(await tiling(tx, issues, !!o.retireMissing)));
	}
	if (layer === 'households' || layer === 'hazards' || layer === 'requests') issues.push(...(await matchGrids(tx, o.crsLabel)));
	if (layer === 'hazards' || layer === 'requests') issues.push(...(await codeTaken(tx, layer)));
	if (layer === 'households') issues.push(...(await tx.sql<IssueRow>`
		SELECT s.rn, s.where_, '身份证号' AS field, 'error' AS level,
		       format('身份证号已存在于住户 #%s（%s）', t.household_id, t.address) AS message
		FROM import_stage s
		JOIN import_id_numbers_taken(ARRAY(SELECT v->>'id_number' FROM import_stage WHERE v->>'id_number' <> '')) t
		  ON t.id_number = s.v->>'id_number'`)); // grid_app reads no ID numbers: a definer function (0011) compares them
	if (layer === 'requests') issues.push(...(await matchCategories(tx)));
	return { issues: toIssues(issues), map: { type: 'FeatureCollection', features: [...(await stagedFeatures(tx, layer, issues)), ...extra] } };
}

/** ST_IsValid → ST_MakeValid (keeping the polygons), every ring oriented exterior-CCW (RFC 7946). */
async function repairPolygons(tx: Queryable): Promise<IssueRow[]> {
	await tx.sql`UPDATE import_stage SET invalid_reason = ST_IsValidReason(geom) WHERE NOT ST_IsValid(geom)`;
	await tx.sql`UPDATE import_stage SET geom = ST_CollectionExtract(ST_MakeValid(geom), 3) WHERE invalid_reason IS NOT NULL`;
	await tx.sql`UPDATE import_stage SET geom = ST_ForcePolygonCCW(ST_Multi(geom)) WHERE NOT ST_IsEmpty(geom)`;
	return tx.sql<IssueRow>`
		SELECT rn, where_, 'geometry' AS field,
		       CASE WHEN ST_IsEmpty(geom) OR ST_Area(geom) = 0 THEN 'error' ELSE 'warning' END AS level,
		       CASE WHEN ST_IsEmpty(geom) OR ST_Area(geom) = 0 THEN format('几何无效（%s），修复后没有面积，请在 GIS 软件中重画', invalid_reason)
		            ELSE format('几何无效（%s），已用 ST_MakeValid 自动修复，请在地图上核对', invalid_reason) END AS message
		FROM import_stage WHERE invalid_reason IS NOT NULL`;
}

async function checkAreas(tx: Queryable, replaceDemo: boolean, update: boolean): Promise<IssueRow[]> {
	const taken = replaceDemo || update ? [] : await tx.sql<IssueRow>`
		SELECT s.rn, s.where_, '区划代码' AS field, 'error' AS level, format('区划代码 %s 已存在（%s）', a.code, a.name) AS message
		FROM import_stage s JOIN areas a ON a.code = s.v->>'code'`;
	const orphans = await tx.sql<IssueRow>`
		SELECT s.rn, s.where_, '区划代码' AS field, 'error' AS level,
		       format('上级区划 %s 不存在：请把它放在同一文件中，或先导入它', s.v->>'parent_code') AS message
		FROM import_stage s
		WHERE s.v->>'parent_code' IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM import_stage p WHERE p.v->>'code' = s.v->>'parent_code')
		  AND (${replaceDemo}::boolean OR NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = s.v->>'parent_code'))`;
	return [...taken, ...orphans];
}

async function checkGrids(tx: Queryable, update: boolean): Promise<IssueRow[]> {
	return tx.sql<IssueRow>`
		SELECT s.rn, s.where_, '网格编码' AS field, 'error' AS level,
		       CASE WHEN g.code IS NOT NULL THEN format('网格编码 %s 已存在（%s）', g.code, g.name)
		            ELSE format('所属社区 %s（网格编码前 12 位）不存在：请先导入行政区划', s.v->>'community_code') END AS message
		FROM import_stage s
		LEFT JOIN grids g ON g.code = s.v->>'code' AND NOT ${update}::boolean
		LEFT JOIN areas a ON a.code = s.v->>'community_code' AND a.level = 'community'
		WHERE g.code IS NOT NULL OR a.code IS NULL`;
}

/**
 * Do the grids tile their community? Gaps: the community minus all its grids (old and new);
 * overlaps: pairs of new grids, or a new grid and an old one, sharing area; outside: a grid's
 * part beyond its community. Drawn on the preview map; beyond the tolerance (domain/import/tiling.ts)
 * each is an error and nothing is committed, below it a warning; slivers under SLIVER_M2 ignored.
 */
async function tiling(tx: Queryable, issues: IssueRow[], retireMissing: boolean): Promise<Feature[]> {
	const features: Feature[] = [];
	const kept = keptGrids(retireMissing);
	const gaps = await tx.sql<{ code: string; name: string; m2: number; geom: string; of_m2: number }>`
		WITH c AS (SELECT DISTINCT v->>'community_code' AS code FROM import_stage),
		     cover AS (
		       SELECT c.code, ST_Union(x.geom) AS geom FROM c
		       JOIN (SELECT v->>'community_code' AS code, geom FROM import_stage UNION ALL SELECT community_code, geom FROM ${kept} k) x ON x.code = c.code
		       GROUP BY c.code),
		     pieces AS (
		       SELECT a.code, a.name, (ST_Dump(ST_Difference(a.geom, cover.geom))).geom AS geom
		       FROM areas a JOIN cover ON cover.code = a.code WHERE a.level = 'community')
		SELECT p.code, p.name, sum(ST_Area(p.geom::geography)) AS m2, ST_AsGeoJSON(ST_Collect(p.geom), 7) AS geom,
		  (SELECT ST_Area(a.geom::geography) FROM areas a WHERE a.code = p.code AND a.level = 'community') AS of_m2
		FROM pieces p WHERE ST_Area(p.geom::geography) > ${SLIVER_M2} GROUP BY p.code, p.name`;
	for (const g of gaps) {
		features.push({ type: 'Feature', properties: { kind: 'gap', label: `空隙 ${Math.round(g.m2)} m²`, community: g.code }, geometry: JSON.parse(g.geom) });
		const [first] = await tx.sql<{ rn: number; where_: string }>`SELECT rn, where_ FROM import_stage WHERE v->>'community_code' = ${g.code} ORDER BY rn LIMIT 1`;
		const level = tilingLevel(g.m2, g.of_m2) ?? 'warning';
		issues.push({ rn: first.rn, where_: first.where_, field: 'geometry', level, message: `社区 ${g.name}（${g.code}）有 ${Math.round(g.m2)} 平方米未被网格覆盖（空隙，见地图${level === 'error' ? `；超出${TILING_TOLERANCE_TEXT}，网格应铺满社区` : ''}）` });
	}
	const overlaps = await tx.sql<{ rn: number; where_: string; other: string; m2: number; geom: string; of_m2: number }>`
		WITH pairs AS (
		  SELECT a.rn, a.where_, b.v->>'code' AS other, ST_Intersection(a.geom, b.geom) AS geom
		  FROM import_stage a JOIN import_stage b ON b.rn > a.rn AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
		  UNION ALL
		  SELECT a.rn, a.where_, g.code, ST_Intersection(a.geom, g.geom)
		  FROM import_stage a JOIN ${kept} g ON a.geom && g.geom AND ST_Intersects(a.geom, g.geom))
		SELECT rn, where_, other, ST_Area(ST_CollectionExtract(geom, 3)::geography) AS m2, ST_AsGeoJSON(ST_CollectionExtract(geom, 3), 7) AS geom,
		  (SELECT ST_Area(s.geom::geography) FROM import_stage s WHERE s.rn = pairs.rn) AS of_m2
		FROM pairs WHERE ST_Area(ST_CollectionExtract(geom, 3)::geography) > ${SLIVER_M2} ORDER BY rn`;
	for (const o of overlaps) {
		features.push({ type: 'Feature', properties: { kind: 'overlap', label: `重叠 ${Math.round(o.m2)} m²`, row: o.rn }, geometry: JSON.parse(o.geom) });
		const level = tilingLevel(o.m2, o.of_m2) ?? 'warning';
		issues.push({ rn: o.rn, where_: o.where_, field: 'geometry', level, message: `与网格 ${o.other} 重叠 ${Math.round(o.m2)} 平方米（见地图${level === 'error' ? `；超出${TILING_TOLERANCE_TEXT}` : ''}）` });
	}
	const outside = await tx.sql<{ rn: number; where_: string; m2: number; geom: string; of_m2: number }>`
		WITH d AS (SELECT s.rn, s.where_, ST_CollectionExtract(ST_Difference(s.geom, a.geom), 3) AS geom, ST_Area(s.geom::geography) AS of_m2
		           FROM import_stage s JOIN areas a ON a.code = s.v->>'community_code' AND a.level = 'community')
		SELECT rn, where_, ST_Area(geom::geography) AS m2, ST_AsGeoJSON(geom, 7) AS geom, of_m2 FROM d WHERE ST_Area(geom::geography) > ${SLIVER_M2}`;
	for (const o of outside) {
		features.push({ type: 'Feature', properties: { kind: 'outside', label: `超出社区 ${Math.round(o.m2)} m²`, row: o.rn }, geometry: JSON.parse(o.geom) });
		const level = tilingLevel(o.m2, o.of_m2) ?? 'warning';
		issues.push({ rn: o.rn, where_: o.where_, field: 'geometry', level, message: `有 ${Math.round(o.m2)} 平方米超出所属社区边界（见地图${level === 'error' ? `；超出${TILING_TOLERANCE_TEXT}` : ''}）` });
	}
	// the communities themselves, as the frame the grids should fill
	const frames = await tx.sql<{ code: string; name: string; geom: string }>`
		SELECT a.code, a.name, ST_AsGeoJSON(a.geom, 6) AS geom FROM areas a
		WHERE a.code IN (SELECT v->>'community_code' FROM import_stage) AND a.level = 'community'`;
	for (const f of frames) features.unshift({ type: 'Feature', properties: { kind: 'community', label: f.name }, geometry: JSON.parse(f.geom) });
	// and the grids already there, which the new ones must fit between
	const existing = await tx.sql<{ name: string; geom: string }>`
		SELECT g.name, ST_AsGeoJSON(g.geom, 6) AS geom FROM ${kept} g
		WHERE g.community_code IN (SELECT v->>'community_code' FROM import_stage) ORDER BY g.code LIMIT 300`;
	for (const g of existing) features.unshift({ type: 'Feature', properties: { kind: 'grid', label: g.name }, geometry: JSON.parse(g.geom) });
	return features;
}

/**
 * The stored grids the staged ones must fit between: current (not retired), not replaced by a row
 * of the file (update by code), and not about to be retired (the file's communities, when asked).
 */
function keptGrids(retireMissing: boolean): Fragment {
	return sql`(SELECT g.* FROM grids g WHERE g.valid_to IS NULL
		AND NOT EXISTS (SELECT 1 FROM import_stage s WHERE s.v->>'code' = g.code)
		AND NOT (${retireMissing}::boolean AND g.community_code IN (SELECT v->>'community_code' FROM import_stage)))`;
}

/** Each point's grid by ST_Covers; a grid code written in the file must agree with it. */
async function matchGrids(tx: Queryable, crsLabel: string): Promise<IssueRow[]> {
	await tx.sql`UPDATE import_stage s SET grid_code = (
		SELECT g.code FROM grids g WHERE g.valid_to IS NULL AND ST_Covers(g.geom, s.geom) ORDER BY g.code LIMIT 1)`;
	return tx.sql<IssueRow>`
		SELECT s.rn, s.where_, CASE WHEN s.grid_code IS NULL THEN '经度/纬度' ELSE '网格编码' END AS field, 'error' AS level,
		  CASE WHEN s.grid_code IS NULL
		       THEN format('坐标（%s, %s）不在任何网格内：请核对坐标和坐标系（当前按 %s），或先导入网格', round(ST_X(s.geom)::numeric, 6), round(ST_Y(s.geom)::numeric, 6), ${crsLabel}::text)
		       WHEN NOT EXISTS (SELECT 1 FROM grids g WHERE g.code = s.v->>'grid_code')
		       THEN format('填写的网格编码 %s 不存在', s.v->>'grid_code')
		       ELSE format('坐标落在网格 %s，与填写的网格编码 %s 不一致', s.grid_code, s.v->>'grid_code') END AS message
		FROM import_stage s
		WHERE s.grid_code IS NULL OR (s.v->>'grid_code' IS NOT NULL AND s.v->>'grid_code' <> s.grid_code)`;
}

async function codeTaken(tx: Queryable, layer: 'hazards' | 'requests'): Promise<IssueRow[]> {
	const [table, label] = layer === 'hazards' ? [sql`hazards`, '隐患编号'] : [sql`requests`, '诉求编号'];
	return tx.sql<IssueRow>`
		SELECT s.rn, s.where_, ${label}::text AS field, 'error' AS level, format('%s %s 已存在', ${label}::text, t.code) AS message
		FROM import_stage s JOIN ${table} t ON t.code = s.v->>'code'`;
}

/** A category by its code, its 小类 name, or “大类/小类”; only a leaf (小类) may be used. */
async function matchCategories(tx: Queryable): Promise<IssueRow[]> {
	await tx.sql`UPDATE import_stage s SET category_code = (
		SELECT CASE WHEN count(*) = 1 THEN min(c.code) END
		FROM categories c LEFT JOIN categories p ON p.code = c.parent_code
		WHERE NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_code = c.code)
		  AND (c.code = s.v->>'category' OR c.name = s.v->>'category' OR p.name || '/' || c.name = s.v->>'category'))`;
	return tx.sql<IssueRow>`
		SELECT s.rn, s.where_, '类别' AS field, 'error' AS level,
		       format('无法识别诉求类别“%s”：请填写小类编码、小类名称或“大类/小类”', s.v->>'category') AS message
		FROM import_stage s WHERE s.category_code IS NULL`;
}

/** What the preview map draws: each staged row (marked when it has an error) and the grids around points. */
async function stagedFeatures(tx: Queryable, layer: Layer, issues: IssueRow[]): Promise<Feature[]> {
	const bad = new Set(issues.filter((i) => i.level === 'error').map((i) => i.rn));
	const repaired = new Set(issues.filter((i) => i.level === 'warning' && i.message.includes('ST_MakeValid')).map((i) => i.rn));
	const polygons = layer === 'areas' || layer === 'grids';
	const rows = await tx.sql<{ rn: number; label: string; geom: string }>`
		SELECT rn, coalesce(v->>'name', v->>'code', v->>'head_name', '') AS label,
		       ST_AsGeoJSON(CASE WHEN ST_NPoints(geom) > 500 THEN ST_SimplifyPreserveTopology(geom, 0.00001) ELSE geom END, 6) AS geom
		FROM import_stage ORDER BY rn LIMIT ${MAP_FEATURES}`;
	const features: Feature[] = rows.map((r) => ({
		type: 'Feature',
		properties: { kind: bad.has(r.rn) ? 'error' : repaired.has(r.rn) ? 'repaired' : 'row', row: r.rn, label: polygons ? r.label : '' },
		geometry: JSON.parse(r.geom)
	}));
	if (!polygons && rows.length) {
		const grids = await tx.sql<{ code: string; name: string; geom: string }>`
			SELECT g.code, g.name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(g.geom, 0.00002), 6) AS geom FROM grids g
			WHERE g.valid_to IS NULL AND g.geom && (SELECT ST_Expand(ST_SetSRID(ST_Extent(geom)::geometry, 4326), 0.002) FROM import_stage) ORDER BY g.code LIMIT 300`;
		features.unshift(...grids.map((g): Feature => ({ type: 'Feature', properties: { kind: 'grid', label: g.name }, geometry: JSON.parse(g.geom) })));
	}
	return features;
}

/** Staged rows → real tables; returns the rows written per table. */
export async function writeLayer(tx: Queryable, layer: Layer, user: SessionUser | null): Promise<Record<string, number>> {
	const count = async (statement: Fragment) => (await tx.sql`${statement} RETURNING 1`).length;
	switch (layer) {
		case 'areas':
			// one statement: a parent and its children may come in any order (the FK is checked at its end)
			return { areas: await count(sql`INSERT INTO areas (code, level, name, parent_code, setting, geom, label_point)
				SELECT v->>'code', v->>'level', v->>'name', v->>'parent_code', v->>'setting', geom, ST_PointOnSurface(geom) FROM import_stage ORDER BY length(v->>'code'), rn`) };
		case 'grids':
			return { grids: await count(sql`INSERT INTO grids (code, community_code, name, geom, label_point)
				SELECT v->>'code', v->>'community_code', v->>'name', geom, ST_PointOnSurface(geom) FROM import_stage ORDER BY rn`) };
		case 'households': {
			// a household lives in a building: the named 楼栋 in its grid, else one per address
			const buildingName = (v: Fragment) => sql`coalesce(nullif(${v}->>'building', ''), ${v}->>'address')`;
			const buildings = await count(sql`INSERT INTO buildings (grid_code, name, kind, floors, geom)
				SELECT grid_code, bname, 'apartment', 1, (array_agg(geom ORDER BY rn))[1]
				FROM (SELECT rn, grid_code, ${buildingName(sql`v`)} AS bname, geom FROM import_stage) s
				WHERE NOT EXISTS (SELECT 1 FROM buildings b WHERE b.grid_code = s.grid_code AND b.name = s.bname)
				GROUP BY grid_code, bname`);
			await tx.sql`UPDATE import_stage s SET building_id = b.id
				FROM (SELECT grid_code, name, min(id) AS id FROM buildings WHERE grid_code IN (SELECT DISTINCT grid_code FROM import_stage) GROUP BY grid_code, name) b
				WHERE b.grid_code = s.grid_code AND b.name = ${buildingName(sql`s.v`)}`;
			const households = await count(sql`INSERT INTO households (building_id, grid_code, address, head_name, phone, id_number, size, tags, geom)
				SELECT building_id, grid_code, v->>'address', v->>'head_name', v->>'phone', v->>'id_number', (v->>'size')::smallint,
				       ARRAY(SELECT jsonb_array_elements_text(coalesce(v->'tags', '[]'))), geom
				FROM import_stage ORDER BY rn`);
			return { buildings, households };
		}
		case 'hazards':
			return { hazards: await count(sql`INSERT INTO hazards (code, type, severity, status, title, grid_code, found_at, rectify_deadline, rectified_at, reinspect_deadline, reinspected_at, geom)
				SELECT v->>'code', v->>'type', (v->>'severity')::smallint, v->>'status', v->>'title', grid_code, (v->>'found_at')::timestamptz, (v->>'rectify_deadline')::timestamptz,
				       (v->>'rectified_at')::timestamptz, (v->>'reinspect_deadline')::timestamptz, (v->>'reinspected_at')::timestamptz, geom
				FROM import_stage ORDER BY rn`) };
		case 'requests': {
			// every request starts as reported with its 'report' event: the only legal first move
			const requests = await count(sql`INSERT INTO requests (code, kind, category_code, channel, status, priority, title, description, grid_code,
				  reporter_name, reporter_phone, address, reported_at, created_by, details, geom)
				SELECT v->>'code', v->>'kind', category_code, v->>'channel', 'reported', v->>'priority', v->>'title', coalesce(v->>'description', ''), grid_code,
				       v->>'reporter_name', v->>'reporter_phone', v->>'address', (v->>'reported_at')::timestamptz, ${user?.id ?? null}::int, '{"imported": true}'::jsonb, geom
				FROM import_stage ORDER BY rn`);
			const events = await count(sql`INSERT INTO request_events (request_id, from_status, to_status, action, actor_id, at, reason, payload)
				SELECT r.id, NULL, 'reported', 'report', ${user?.id ?? null}::int, r.reported_at, '导入', jsonb_build_object('channel', r.channel, 'imported', true)
				FROM import_stage s JOIN requests r ON r.code = s.v->>'code' ORDER BY s.rn`);
			return { requests, request_events: events };
		}
	}
}
