// Updating areas and grids by code, on both back ends: the preview's figures, the commit with grid
// history (a request filed before a boundary moved keeps its grid and the shape it was filed in; one
// filed after lands in the new shape), retiring the grids a file leaves out, all-or-nothing on an
// error, and the GB/T 2260 check of area codes.
import { beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db/client';
import { runImport, type ImportInput, type ImportReport } from '../../src/lib/server/import/run';
import { gridAt } from '../../src/lib/server/requests/report';
import { asUser } from '../../src/lib/server/access/userdb';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { ImportFileError } from '../../src/lib/domain/import/types';
import { describeBackends } from './helpers/backends';
import { createUser, parseNewUser } from '../../src/lib/server/access/users';

// 430102 长沙市芙蓉区 is a real GB/T 2260 code: this file needs no exception for it
const COMMUNITY = '430102001001';
const box = (w: number, e: number, s = 28.2, n = 28.21) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const fc = (features: [string, string, object][]) => Buffer.from(JSON.stringify({
	type: 'FeatureCollection', features: features.map(([code, name, geometry]) => ({ type: 'Feature', properties: { code, name }, geometry }))
}));
const AREAS: [string, string, object][] = [['430102', '芙蓉区（测试）', box(113.2, 113.22)], ['430102001', '测试街道', box(113.2, 113.22)], [COMMUNITY, '测试社区', box(113.2, 113.22)]];
const g = (n: number) => `${COMMUNITY}00${n}`;
// the point of the request filed before the redraw: in grid 1 then, in grid 2 after
const P = { lon: 113.208, lat: 28.205 };

const TABLES = ['areas', 'grids', 'grid_versions', 'requests', 'import_jobs', 'audit_log'];
async function counts(db: Db) {
	const out: Record<string, number> = {};
	for (const t of TABLES) out[t] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))[0].n;
	return out;
}

describeBackends('import: update areas and grids by code', (getDb) => {
	let admin: SessionUser;
	const run = (input: Partial<ImportInput> & { bytes: Uint8Array }, commit: boolean): Promise<ImportReport> =>
		runImport(asUser(getDb(), admin), admin, { layer: 'grids', fileName: 'g.geojson', crs: 'wgs84', ...input }, { commit });

	beforeAll(async () => {
		const db = getDb();
		const [u] = await db.sql<{ id: number }>`INSERT INTO users (username, display_name, role) VALUES (${'regrid_' + Date.now().toString(36)}, '区划管理员', 'admin') RETURNING id`;
		admin = { id: u.id, username: 'regrid', displayName: '区划管理员', role: 'admin', departmentId: null, title: null };
		await db.exec(`INSERT INTO categories (code, parent_code, name) VALUES ('regrid', NULL, '区划测试大类') ON CONFLICT DO NOTHING;
			INSERT INTO categories (code, parent_code, name) VALUES ('regrid.noise', 'regrid', '区划测试噪音') ON CONFLICT DO NOTHING`);
		for (const [layer, bytes] of [['areas', fc(AREAS)], ['grids', fc([[g(1), '一网格', box(113.2, 113.21)], [g(2), '二网格', box(113.21, 113.22)]])]] as const) {
			const r = await run({ layer, bytes }, true);
			expect(r.errors).toEqual([]);
		}
		// a request filed in grid 1 before the redraw
		const csv = `诉求编号,标题,类别,渠道,上报时间,经度,纬度\nSQ-RG-OLD,旧诉求,regrid.noise,网格员上报,2026-03-01 09:00,${P.lon},${P.lat}\n`;
		expect((await run({ layer: 'requests', fileName: 'r.csv', bytes: Buffer.from(csv) }, true)).inserted).toEqual({ requests: 1, request_events: 1 });
	});

	// grid 1 gives its east 0.004° to grid 2 (renamed), grid 2 gives its east 0.006° to a new grid 3
	const REDRAW = fc([[g(1), '一网格', box(113.2, 113.206)], [g(2), '二网格（调整）', box(113.206, 113.214)], [g(3), '三网格', box(113.214, 113.22)]]);

	it('previews an update: added, reshaped with the area before → after and the change, renamed; writes nothing', async () => {
		const before = await counts(getDb());
		const r = await run({ bytes: REDRAW, mode: 'update' }, false);
		expect(r.errors).toEqual([]);
		expect(r.committed).toBe(false);
		const d = r.diff!;
		expect(d.added.map((e) => e.code)).toEqual([g(3)]);
		expect(d.reshaped.map((e) => [e.code, e.changePct])).toEqual([[g(1), -40], [g(2), -20]]);
		// 0.01° × 0.01° at 28.2°N ≈ 980 m × 1 109 m
		expect(d.reshaped[0].beforeM2).toBeGreaterThan(1_080_000);
		expect(d.reshaped[0].beforeM2).toBeLessThan(1_100_000);
		expect(d.reshaped[0].afterM2! / d.reshaped[0].beforeM2!).toBeCloseTo(0.6, 3);
		expect(d.renamed).toEqual([expect.objectContaining({ code: g(2), oldName: '二网格', name: '二网格（调整）' })]);
		expect([d.unchanged, d.missing]).toEqual([0, []]);
		// the preview map draws the two shapes being replaced
		expect(r.map.features.filter((f) => f.properties?.kind === 'before').map((f) => f.properties?.label)).toEqual(['一网格（调整前）', '二网格（调整前）']);
		expect(await counts(getDb())).toEqual(before);
		// the same file appended is refused, code by code
		const append = await run({ bytes: REDRAW }, false);
		expect(append.errors.map((e) => e.message)).toEqual(expect.arrayContaining([`网格编码 ${g(1)} 已存在（一网格）`]));
	});

	it('commits the update in one go: grids changed in place, old versions kept until now, the job and the audit log name it', async () => {
		const r = await run({ bytes: REDRAW, mode: 'update' }, true);
		expect(r.committed).toBe(true);
		expect(r.inserted).toEqual({ grids_added: 1, grids_updated: 2, grids_retired: 0, grid_versions: 2 });
		const grids = await getDb().sql`SELECT code, name, valid_from IS NOT NULL AS dated, valid_to FROM grids WHERE community_code = ${COMMUNITY} ORDER BY code`;
		expect(grids).toEqual([
			{ code: g(1), name: '一网格', dated: true, valid_to: null },
			{ code: g(2), name: '二网格（调整）', dated: true, valid_to: null },
			{ code: g(3), name: '三网格', dated: true, valid_to: null }
		]);
		const versions = await getDb().sql`SELECT v.grid_code, v.name, v.valid_from, v.valid_to = g.valid_from AS ends_when_new_begins, v.import_job_id = ${r.jobId} AS job
			FROM grid_versions v JOIN grids g ON g.code = v.grid_code ORDER BY v.grid_code`;
		// appended grids' first versions have no start (valid_from NULL): they stand for any earlier time
		expect(versions).toEqual([
			{ grid_code: g(1), name: '一网格', valid_from: null, ends_when_new_begins: true, job: true },
			{ grid_code: g(2), name: '二网格', valid_from: null, ends_when_new_begins: true, job: true }
		]);
		const [job] = await getDb().sql`SELECT mode, inserted FROM import_jobs WHERE id = ${r.jobId}`;
		expect(job).toEqual({ mode: 'update', inserted: { added: 1, reshaped: 2, renamed: 1, unchanged: 0, kept_missing: 0 } });
		const [audit] = await getDb().sql`SELECT action, subject, user_id, detail->>'summary' AS summary FROM audit_log WHERE action = 'regrid'`;
		expect(audit).toEqual({ action: 'regrid', subject: `import:${r.jobId}`, user_id: admin.id, summary: '新增 1，边界调整 2，改名 1，未变 0' });
	});

	it('keeps an old request in the grid and the shape it was filed in; a new one lands in the new shape', async () => {
		const db = getDb();
		const [old] = await db.sql`SELECT r.grid_code,
			(SELECT ST_Covers(v.geom, r.geom) FROM grid_version_at(r.grid_code, r.reported_at) v) AS filed_shape_covers,
			(SELECT v.current FROM grid_version_at(r.grid_code, r.reported_at) v) AS filed_in_current,
			(SELECT ST_Covers(v.geom, r.geom) FROM grid_version_at(r.grid_code, now()) v) AS current_shape_covers
			FROM requests r WHERE r.code = 'SQ-RG-OLD'`;
		expect(old).toEqual({ grid_code: g(1), filed_shape_covers: true, filed_in_current: false, current_shape_covers: false });
		// reporting from the map (requests/report.ts) and an import both place by the current shapes
		expect(await gridAt(asUser(db, admin), P.lon, P.lat)).toEqual({ code: g(2), name: '二网格（调整）' });
		const csv = `诉求编号,标题,类别,渠道,上报时间,经度,纬度\nSQ-RG-NEW,新诉求,regrid.noise,网格员上报,2026-12-01 09:00,${P.lon},${P.lat}\n`;
		expect((await run({ layer: 'requests', fileName: 'r.csv', bytes: Buffer.from(csv) }, true)).committed).toBe(true);
		const rows = await db.sql`SELECT code, grid_code FROM requests WHERE code LIKE 'SQ-RG-%' ORDER BY code`;
		expect(rows).toEqual([{ code: 'SQ-RG-NEW', grid_code: g(2) }, { code: 'SQ-RG-OLD', grid_code: g(1) }]);
	});

	// grid 2 takes grid 3's land back: without retiring grid 3 the two would overlap
	const MERGE = fc([[g(1), '一网格', box(113.2, 113.206)], [g(2), '二网格（调整）', box(113.206, 113.22)]]);

	it('refuses an update whose tiling fails, and one with a broken geometry: nothing is written', async () => {
		const before = await counts(getDb());
		const overlap = await run({ bytes: MERGE, mode: 'update' }, true);
		expect(overlap.committed).toBe(false);
		expect(overlap.errors.map((e) => `${e.where} ${e.message}`).join('\n')).toMatch(new RegExp(`第 2 个要素 与网格 ${g(3)} 重叠 \\d+ 平方米.*超出容差`));
		expect(overlap.diff!.missing.map((e) => e.code)).toEqual([g(3)]);
		expect(overlap.diff!.retireMissing).toBe(false);
		const flat = fc([[g(1), '一网格', { type: 'Polygon', coordinates: [[[113.2, 28.2], [113.21, 28.2], [113.22, 28.2], [113.2, 28.2]]] }]]);
		const broken = await run({ bytes: flat, mode: 'update' }, true);
		expect(broken.committed).toBe(false);
		expect(broken.errors.map((e) => `${e.where} ${e.field}`)).toContain('第 1 个要素 geometry');
		expect(await counts(getDb())).toEqual(before);
		const [g1] = await getDb().sql`SELECT round(ST_XMax(geom)::numeric, 3)::float AS e FROM grids WHERE code = ${g(1)}`;
		expect(g1.e).toBe(113.206);
	});

	it('retires the grids a file leaves out of its community only when asked; they stay for the requests filed in them', async () => {
		const preview = await run({ bytes: MERGE, mode: 'update', retireMissing: true }, false);
		expect(preview.errors).toEqual([]);
		expect(preview.diff).toMatchObject({ retireMissing: true, missing: [expect.objectContaining({ code: g(3), name: '三网格' })], unchanged: 1 });
		expect(preview.map.features.filter((f) => f.properties?.kind === 'retired').map((f) => f.properties?.label)).toEqual(['三网格（将停用）']);
		const r = await run({ bytes: MERGE, mode: 'update', retireMissing: true }, true);
		expect(r.inserted).toEqual({ grids_added: 0, grids_updated: 1, grids_retired: 1, grid_versions: 1 });
		const [three] = await getDb().sql`SELECT valid_to IS NOT NULL AS retired, (SELECT count(*)::int FROM grids WHERE valid_to IS NULL AND community_code = ${COMMUNITY}) AS current FROM grids WHERE code = ${g(3)}`;
		expect(three).toEqual({ retired: true, current: 2 });
		// a point in grid 3's old land now goes to grid 2
		expect((await gridAt(asUser(getDb(), admin), 113.217, 28.205))?.code).toBe(g(2));
		// and appending grid 3 again is refused: the code is taken for good
		const again = await run({ bytes: fc([[g(3), '三网格', box(113.214, 113.22)]]) }, false);
		expect(again.errors.map((e) => e.message)).toContain(`网格编码 ${g(3)} 已存在（三网格）`);
		// and a retired grid is given to no new worker
		const worker = parseNewUser({ username: `rg_worker_${Date.now()}`, displayName: '新网格员', role: 'grid_manager', grids: `${g(2)},${g(3)}`, password: 'Grid-Worker-2026!x' });
		await expect(createUser(getDb(), admin, worker)).rejects.toThrow(`这些网格已停用，不能再分配：${g(3)}`);
	});

	it('updates areas by code: a renamed community, the rest unchanged', async () => {
		const renamed = AREAS.map(([code, name, geom]): [string, string, object] => [code, code === COMMUNITY ? '测试社区（更名）' : name, geom]);
		const r = await run({ layer: 'areas', fileName: 'a.geojson', bytes: fc(renamed), mode: 'update' }, true);
		expect(r.errors).toEqual([]);
		expect(r.diff).toMatchObject({ added: [], reshaped: [], renamed: [expect.objectContaining({ code: COMMUNITY, oldName: '测试社区' })], unchanged: 2 });
		expect(r.inserted).toEqual({ areas_added: 0, areas_updated: 1 });
		expect((await getDb().sql`SELECT name FROM areas WHERE code = ${COMMUNITY}`)[0].name).toBe('测试社区（更名）');
	});

	it('refuses area codes that are not GB/T 2260 divisions, naming row, field and code; the stored district is accepted', async () => {
		const before = await counts(getDb());
		const bad = await run({ layer: 'areas', fileName: 'a.geojson', bytes: fc([['430100', '长沙市', box(113.2, 113.22)], ['777777001', '虚构街道', box(113.2, 113.22)]]) }, true);
		expect(bad.errors.map((e) => `${e.where} ${e.field} ${e.message}`)).toEqual([
			expect.stringMatching(/^第 1 个要素 code 区划代码 430100 不在 GB\/T 2260 行政区划代码中/),
			expect.stringMatching(/^第 2 个要素 code 区划代码 777777 不在 GB\/T 2260 行政区划代码中（777777001 的前 6 位）/),
			'第 2 个要素 区划代码 上级区划 777777 不存在：请把它放在同一文件中，或先导入它'
		]);
		expect(await counts(getDb())).toEqual(before);
		// a fictional district already stored (like the demo's 430199) takes new streets
		await getDb().exec(`INSERT INTO areas (code, level, name, parent_code, setting, geom, label_point)
			SELECT '439988', 'district', '虚构区', NULL, 'urban', geom, label_point FROM areas WHERE code = '430102'`);
		const ok = await run({ layer: 'areas', fileName: 'a.geojson', bytes: fc([['439988001', '虚构街道', box(113.2, 113.22)]]) }, false);
		expect(ok.errors).toEqual([]);
	});

	it('refuses update for point layers and retiring without update', async () => {
		const csv = Buffer.from('户主姓名,地址,经度,纬度\n张三,1栋,113.205,28.205\n');
		const err = await run({ layer: 'households', fileName: 'h.csv', bytes: csv, mode: 'update' }, false).catch((e) => e);
		expect(err).toBeInstanceOf(ImportFileError);
		expect([err.code, err.field]).toEqual(['bad_mode', 'mode']);
		const retire = await run({ bytes: MERGE, retireMissing: true }, false).catch((e) => e);
		expect([retire.code, retire.field]).toEqual(['bad_mode', 'retireMissing']);
	});
});
