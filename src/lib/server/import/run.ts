// An import, previewed or committed. The file is read and cleaned in Node, then staged into a
// temporary table inside ONE transaction where PostGIS checks what needs the database: validity
// (ST_IsValid → ST_MakeValid), ring orientation, codes already taken, parents and communities
// that exist, grids tiling their community (gaps, overlaps, overflow), points matched to grids
// with ST_Covers. A preview rolls that transaction back; a commit writes the real tables in it,
// so a file goes in whole or not at all.
import { maskIdNumber, maskPhone } from '../../domain/mask';
import type { FeatureCollection } from 'geojson';
import { cleanRecords, type CleanRow } from '../../domain/import/clean';
import { countVertices } from '../../domain/import/geometry';
import { CRS_LABEL, DEFAULT_LIMITS, ImportFileError, POLYGON_LAYERS, type Crs, type ImportLimits, type Layer, type RowIssue } from '../../domain/import/types';
import { isDemoDatabase } from '../auth/signin';
import type { SessionUser } from '../auth/user';
import type { Database, Queryable } from '../db/client';
import { resetVersions } from '../queries/versions';
import { readSource, type Encoding, type Format } from './read';
import { checkLayer, writeLayer } from './layers';
import { beforeShapes, diffStage, writeUpdate } from './update';
import { diffSummary, type ImportDiff, type ImportMode } from '../../domain/import/diff';
import { gbt2260Issues } from '../../domain/import/gbt2260';
import { recordAudit } from '../access/audit';
import { trackJob } from '../ops/metrics';

export interface ImportInput {
	layer: Layer;
	fileName: string;
	bytes: Uint8Array;
	crs: Crs;
	encoding?: Encoding;
	/** areas only: remove the synthetic demo district first (refused on real data) */
	replaceDemo?: boolean;
	/** areas and grids: 'update' changes the rows whose code exists instead of refusing them */
	mode?: ImportMode;
	/** update of grids: the file's communities lose (停用) the grids the file does not list */
	retireMissing?: boolean;
	limits?: Partial<ImportLimits>;
}

export interface ImportProgress { phase: string; done: number; total: number }
export type OnImportProgress = (p: ImportProgress) => void;

export interface ImportReport {
	layer: Layer;
	fileName: string;
	format: Format;
	encoding: string | null;
	crs: Crs;
	replaceDemo: boolean;
	mode: ImportMode;
	/** update: what would change (preview) or changed (commit) */
	diff: ImportDiff | null;
	/** records in the file */
	total: number;
	/** records with no error */
	valid: number;
	errorCount: number;
	warningCount: number;
	/** the first 500 of each, by row */
	errors: RowIssue[];
	warnings: RowIssue[];
	columns: Record<string, string>;
	preview: { row: number; where: string; values: Record<string, unknown>; gridCode: string | null }[];
	/** staged geometry, gaps/overlaps/outside parts and nearby grids, for the preview map */
	map: FeatureCollection;
	committed: boolean;
	inserted: Record<string, number>;
	jobId: number | null;
}

class Rollback extends Error {
	constructor(public report: ImportReport) {
		super('preview');
	}
}

const CHUNK = 1000;
const CHUNK_VERTICES = 200_000;
const SHOWN = 500;

/** Counted in /metrics as a job (import, or import_preview without commit): running, finished, failed. */
export function runImport(db: Database, user: SessionUser | null, input: ImportInput, opts: { commit: boolean; onProgress?: OnImportProgress }): Promise<ImportReport> {
	return trackJob(opts.commit ? 'import' : 'import_preview', () => importOnce(db, user, input, opts));
}

async function importOnce(db: Database, user: SessionUser | null, input: ImportInput, opts: { commit: boolean; onProgress?: OnImportProgress }): Promise<ImportReport> {
	const progress = opts.onProgress ?? (() => {});
	const limits = { ...DEFAULT_LIMITS, ...input.limits };
	const replaceDemo = !!input.replaceDemo;
	if (replaceDemo && input.layer !== 'areas') throw new ImportFileError('bad_mode', '“替换演示辖区”只适用于行政区划图层：网格、住户、隐患、诉求都追加到已有网格中', 'replaceDemo');
	const mode = input.mode ?? 'append';
	const retireMissing = mode === 'update' && !!input.retireMissing;
	if (mode === 'update' && !POLYGON_LAYERS.includes(input.layer)) throw new ImportFileError('bad_mode', '“更新”只适用于行政区划和网格：住户、隐患、诉求只能追加', 'mode');
	if (mode === 'update' && replaceDemo) throw new ImportFileError('bad_mode', '“替换演示辖区”与“更新”不能同时选择', 'mode');
	if (input.retireMissing && !(mode === 'update' && input.layer === 'grids')) throw new ImportFileError('bad_mode', '“停用文件中没有的网格”只适用于以“更新”方式导入网格', 'retireMissing');
	if (replaceDemo && !(await isDemoDatabase(db))) {
		throw new ImportFileError('not_demo', '当前数据库不是演示辖区，不能“替换演示辖区”：真实数据不会被删除。请取消该选项，以追加方式导入', 'replaceDemo');
	}
	progress({ phase: '读取文件', done: 0, total: 1 });
	const source = await readSource(input.bytes, input.fileName, input.layer, limits, input.encoding);
	progress({ phase: '检查字段与坐标', done: 0, total: 1 });
	const cleaned = cleanRecords(input.layer, source.records, input.crs, limits);

	const report: ImportReport = {
		layer: input.layer, fileName: input.fileName, format: source.format, encoding: source.encoding, crs: input.crs, replaceDemo, mode, diff: null,
		total: source.records.length, valid: 0, errorCount: 0, warningCount: 0, errors: [], warnings: [], columns: cleaned.columns,
		preview: [], map: { type: 'FeatureCollection', features: [] }, committed: false, inserted: {}, jobId: null
	};
	try {
		return await db.transaction(async (tx) => {
			await stage(tx, cleaned.rows, progress);
			progress({ phase: '数据库校验（几何、编码、网格匹配）', done: 0, total: 1 });
			const checked = await checkLayer(tx, input.layer, { replaceDemo, crsLabel: CRS_LABEL[input.crs], update: mode === 'update', retireMissing });
			const codes = input.layer === 'areas' ? gbt2260Issues(cleaned.rows, cleaned.columns.code ?? '区划代码', await acceptedDistricts(tx, replaceDemo)) : [];
			if (mode === 'update') {
				report.diff = await diffStage(tx, input.layer as 'areas' | 'grids', retireMissing);
				checked.map.features.unshift(...(await beforeShapes(tx, input.layer as 'areas' | 'grids', retireMissing)));
			}
			const issues = [...cleaned.issues, ...codes, ...checked.issues].sort((a, b) => a.row - b.row);
			const errors = issues.filter((i) => i.level === 'error');
			const warnings = issues.filter((i) => i.level === 'warning');
			const badRows = new Set(errors.map((e) => e.row));
			Object.assign(report, {
				valid: source.records.filter((r) => !badRows.has(r.row)).length,
				errorCount: errors.length, warningCount: warnings.length,
				errors: errors.slice(0, SHOWN), warnings: warnings.slice(0, SHOWN),
				preview: await previewRows(tx, cleaned.rows), map: checked.map
			});
			if (!opts.commit || errors.length) throw new Rollback(report);
			progress({ phase: '写入正式数据', done: 0, total: 1 });
			if (mode === 'update') {
				// the job first: each superseded grid version names the import that replaced it
				report.jobId = await recordJob(tx, user, input, source.format, 'update', cleaned.rows.length, warnings.length, diffCounts(report.diff!));
				report.inserted = await writeUpdate(tx, input.layer as 'areas' | 'grids', { retireMissing, jobId: report.jobId, setting: 'setting' in cleaned.columns });
				if (user) await recordAudit(tx, { userId: user.id, action: 'regrid', subject: `import:${report.jobId}`, rows: cleaned.rows.length, detail: { layer: input.layer, file: input.fileName, summary: diffSummary(report.diff!), ...report.inserted } });
			} else {
				if (replaceDemo) await removeDemoDistrict(tx);
				report.inserted = await writeLayer(tx, input.layer, user);
				if (replaceDemo) await afterReplace(tx);
				report.jobId = await recordJob(tx, user, input, source.format, replaceDemo ? 'replace_demo' : 'append', cleaned.rows.length, warnings.length, report.inserted);
			}
			report.committed = true;
			await tx.sql`DROP TABLE import_stage`;
			return report;
		});
	} catch (e) {
		if (e instanceof Rollback) return e.report;
		throw e;
	} finally {
		if (report.committed) resetVersions();
		progress({ phase: report.committed ? '已提交' : '完成', done: 1, total: 1 });
	}
}

async function recordJob(tx: Queryable, user: SessionUser | null, input: ImportInput, format: string, mode: string, rows: number, warnings: number, inserted: Record<string, number>): Promise<number> {
	const [job] = await tx.sql<{ id: number }>`
		INSERT INTO import_jobs (user_id, layer, file_name, format, crs, mode, rows, warnings, inserted)
		VALUES (${user?.id ?? null}, ${input.layer}, ${input.fileName}, ${format}, ${input.crs}, ${mode}, ${rows}, ${warnings}, ${JSON.stringify(inserted)})
		RETURNING id`;
	return job.id;
}

const diffCounts = (d: ImportDiff) => ({
	added: d.added.length, reshaped: d.reshaped.length, renamed: d.renamed.length, unchanged: d.unchanged, [d.retireMissing ? 'retired' : 'kept_missing']: d.missing.length
});

/**
 * District codes accepted besides the GB/T 2260 list: those of the areas already stored (the
 * district the installation was set up for, such as the fictional demo 430199) and any listed in
 * GBT2260_EXTRA_CODES (comma-separated: a district created after the list's date, a test district).
 */
async function acceptedDistricts(tx: Queryable, replaceDemo: boolean): Promise<Set<string>> {
	// the demo district is about to go: the district replacing it is checked against the list alone
	const stored = replaceDemo ? [] : await tx.sql<{ code: string }>`SELECT DISTINCT left(code, 6) AS code FROM areas`;
	const extra = (process.env.GBT2260_EXTRA_CODES ?? '').split(/[\s,，]+/).filter((c) => /^[0-9]{6}$/.test(c));
	return new Set([...stored.map((r) => r.code), ...extra]);
}

/** Clean rows into import_stage, a temporary table gone with the transaction. */
async function stage(tx: Queryable, rows: CleanRow[], progress: OnImportProgress) {
	await tx.sql`CREATE TEMP TABLE import_stage (
		rn int PRIMARY KEY, where_ text NOT NULL, v jsonb NOT NULL, geom geometry(Geometry, 4326) NOT NULL,
		invalid_reason text, grid_code text, category_code text, building_id int, new_id bigint
	) ON COMMIT DROP`;
	for (let i = 0; i < rows.length; ) {
		progress({ phase: '写入暂存表', done: i, total: rows.length });
		// at most CHUNK rows or CHUNK_VERTICES positions per statement: detailed boundaries stay small
		const chunk = [];
		for (let vertices = 0; i < rows.length && chunk.length < CHUNK && vertices < CHUNK_VERTICES; i++) {
			vertices += countVertices(rows[i].geometry);
			chunk.push({ row: rows[i].row, where: rows[i].where, v: rows[i].values, g: JSON.stringify(rows[i].geometry) });
		}
		await tx.sql`INSERT INTO import_stage (rn, where_, v, geom)
			SELECT (e->>'row')::int, e->>'where', e->'v', ST_SetSRID(ST_GeomFromGeoJSON(e->>'g'), 4326)
			FROM jsonb_array_elements(${JSON.stringify(chunk)}::jsonb) e`;
	}
	progress({ phase: '写入暂存表', done: rows.length, total: rows.length });
}

/** Phones and ID numbers leave masked in the preview too: enough to recognise a row, not to copy it. */
const PREVIEW_MASKS: Record<string, (v: string) => string> = { phone: maskPhone, reporter_phone: maskPhone, id_number: maskIdNumber };
const previewValues = (values: Record<string, unknown>) =>
	Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' && PREVIEW_MASKS[k] ? PREVIEW_MASKS[k](v) : v]));

async function previewRows(tx: Queryable, rows: CleanRow[]) {
	const grids = new Map((await tx.sql<{ rn: number; grid_code: string | null }>`SELECT rn, grid_code FROM import_stage ORDER BY rn LIMIT 50`).map((r) => [r.rn, r.grid_code]));
	return rows.slice(0, 50).map((r) => ({ row: r.row, where: r.where, values: previewValues(r.values), gridCode: grids.get(r.row) ?? null }));
}

/**
 * The synthetic demo district goes: every table that hangs off its areas (grids, buildings,
 * households, hazards, requests and their history, visits, plans, pairings) and its base map.
 * Users and sessions stay, so the admin doing this is still signed in.
 */
async function removeDemoDistrict(tx: Queryable) {
	if (!(await isDemoDatabase(tx))) throw new ImportFileError('not_demo', '当前数据库不是演示辖区，不能替换：真实数据不会被删除');
	const [{ admin }] = await tx.sql<{ admin: boolean }>`SELECT app_password_admin_exists() AS admin`;
	if (!admin) {
		throw new ImportFileError('no_password_admin', '替换后演示登录将关闭：请先为至少一个管理员设置密码，否则导入后无人能登录', 'replaceDemo');
	}
	// TRUNCATE needs the owner: import_remove_demo() (0011) checks admin and synthetic data again
	await tx.sql`SELECT import_remove_demo()`;
}

/** Real data now: demo sign-in closes (isDemoDatabase) and the offline base map gets its land. */
async function afterReplace(tx: Queryable) {
	await tx.sql`UPDATE app_meta SET value = jsonb_set(value, '{synthetic}', 'false'), updated_at = now() WHERE key = 'seed'`;
	await tx.sql`INSERT INTO basemap_features (kind, name, geom)
		SELECT 'land', NULL, ST_Expand(ST_Envelope(geom), 0.05) FROM areas WHERE level = 'district'`;
}

export { POLYGON_LAYERS };
