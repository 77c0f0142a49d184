// Import on both back ends: the good district in every format goes in whole; each file of the
// broken corpus gets a clear message and leaves every table as it was.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import gcoord from 'gcoord';
import { beforeAll, expect, it } from 'vitest';
import { ImportFileError, type Crs, type Layer } from '../../src/lib/domain/import/types';
import type { Db } from '../../src/lib/server/db/client';
import { runImport, type ImportReport } from '../../src/lib/server/import/run';
import { asUser } from '../../src/lib/server/access/userdb';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { describeBackends } from './helpers/backends';

const FIX = path.resolve('tests/fixtures/import');
const file = (name: string) => new Uint8Array(readFileSync(path.join(FIX, name)));
const TABLES = ['areas', 'grids', 'buildings', 'households', 'hazards', 'requests', 'request_events', 'import_jobs'];

async function counts(db: Db): Promise<Record<string, number>> {
	const out: Record<string, number> = {};
	for (const t of TABLES) out[t] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))[0].n;
	return out;
}

type Outcome = { fileError: ImportFileError | null; report: ImportReport | null };
async function attempt(db: Db, name: string, layer: Layer, crs: Crs = 'wgs84', extra: { bytes?: Uint8Array; limits?: object } = {}): Promise<Outcome> {
	try {
		const report = await runImport(db, null, { layer, fileName: path.basename(name), bytes: extra.bytes ?? file(name), crs, limits: extra.limits }, { commit: true });
		return { fileError: null, report };
	} catch (e) {
		if (e instanceof ImportFileError) return { fileError: e, report: null };
		throw e;
	}
}

async function commit(db: Db, name: string, layer: Layer, crs: Crs = 'wgs84'): Promise<ImportReport> {
	const r = await runImport(db, null, { layer, fileName: path.basename(name), bytes: file(name), crs }, { commit: true });
	expect(r.errors, `${name}: ${JSON.stringify(r.errors)}`).toEqual([]);
	expect(r.committed).toBe(true);
	return r;
}

describeBackends('import', (getDb) => {
	beforeAll(async () => {
		await getDb().exec(`INSERT INTO categories (code, parent_code, name) VALUES ('import', NULL, '导入测试大类') ON CONFLICT DO NOTHING;
			INSERT INTO categories (code, parent_code, name) VALUES ('import.elevator', 'import', '电梯故障'), ('import.noise', 'import', '噪音扰民') ON CONFLICT DO NOTHING`);
	});

	it('imports the areas: district, street and community with their parents', async () => {
		const r = await commit(getDb(), 'good/areas.geojson', 'areas');
		expect(r.inserted).toEqual({ areas: 3 });
		const rows = await getDb().sql`SELECT code, level, parent_code, setting FROM areas WHERE code LIKE '430188%' ORDER BY code`;
		expect(rows).toEqual([
			{ code: '430188', level: 'district', parent_code: null, setting: 'urban' },
			{ code: '430188001', level: 'street', parent_code: '430188', setting: 'urban' },
			{ code: '430188001001', level: 'community', parent_code: '430188001', setting: 'urban' }
		]);
	});

	it('reads the same two grids from GeoJSON, a GBK shapefile without .cpg, and KML', async () => {
		const preview = async (name: string) => {
			const r = await runImport(getDb(), null, { layer: 'grids', fileName: name, bytes: file(name), crs: 'wgs84' }, { commit: false });
			expect(r.errors).toEqual([]);
			return { values: r.preview.map((p) => [p.values.code, p.values.name]), geoms: r.map.features.filter((f) => f.properties?.kind === 'row').map((f) => f.geometry) };
		};
		const geojson = await preview('good/grids.geojson');
		expect(geojson.values).toEqual([['430188001001001', '导入一网格'], ['430188001001002', '导入二网格']]);
		const shp = await preview('good/grids-shapefile.zip');
		expect(shp.values).toEqual(geojson.values);
		expect(shp.geoms).toEqual(geojson.geoms); // the shapefile's clockwise rings come out CCW like the rest
		expect((await preview('good/grids.kml')).values).toEqual(geojson.values);
		expect((await counts(getDb())).grids).toBe((await getDb().sql`SELECT count(*)::int AS n FROM grids`)[0].n); // preview wrote nothing
		expect((await getDb().sql`SELECT count(*)::int AS n FROM grids WHERE code LIKE '430188%'`)[0].n).toBe(0);
	});

	it('commits the grids: they tile their community with no gaps or overlaps', async () => {
		const r = await commit(getDb(), 'good/grids.geojson', 'grids');
		expect(r.inserted).toEqual({ grids: 2 });
		expect(r.warnings).toEqual([]);
		const [g] = await getDb().sql`SELECT ST_IsValid(geom) AS valid, NOT ST_IsPolygonCW(geom) AS ccw, ST_GeometryType(geom) AS type FROM grids WHERE code = '430188001001001'`;
		expect(g).toEqual({ valid: true, ccw: true, type: 'ST_MultiPolygon' });
	});

	it('imports households from UTF-8, BOM and GBK CSV with the same names, each matched to its grid', async () => {
		for (const name of ['good/households-bom.csv', 'good/households-gbk.csv']) {
			const r = await runImport(getDb(), null, { layer: 'households', fileName: name, bytes: file(name), crs: 'wgs84' }, { commit: false });
			expect(r.preview.map((p) => p.values.head_name), name).toEqual(['张建华', '李秀英', '王强']);
		}
		const r = await commit(getDb(), 'good/households.csv', 'households');
		expect(r.inserted).toEqual({ buildings: 3, households: 3 });
		const rows = await getDb().sql`SELECT head_name, phone, id_number, size, tags, grid_code FROM households WHERE address LIKE '导入社区%' ORDER BY address`;
		expect(rows).toEqual([
			{ head_name: '张建华', phone: '13812341234', id_number: '430104199001011230', size: 3, tags: ['elderly_alone'], grid_code: '430188001001001' },
			{ head_name: '李秀英', phone: '0731-84561234', id_number: '430104198503150025', size: 2, tags: [], grid_code: '430188001001001' },
			{ head_name: '王强', phone: null, id_number: null, size: 4, tags: ['low_income', 'disabled'], grid_code: '430188001001002' }
		]);
	});

	it('reads English headers (name, lng, lat) and converts GCJ-02 and BD-09 to WGS84', async () => {
		const r = await runImport(getDb(), null, { layer: 'households', fileName: 'h.csv', bytes: file('good/households-english.csv'), crs: 'wgs84' }, { commit: false });
		expect(r.preview[0].values).toMatchObject({ head_name: 'Zhao Lei', address: 'Block 3', size: 1 });
		expect(r.preview[0].values.phone).toBe('139****1111'); // the preview masks phones and ID numbers
		const wgs: [number, number] = [113.2071, 28.2061];
		for (const [crs, from] of [['gcj02', gcoord.GCJ02], ['bd09', gcoord.BD09]] as const) {
			const [x, y] = gcoord.transform(wgs, gcoord.WGS84, from) as number[];
			expect(Math.hypot(x - wgs[0], y - wgs[1])).toBeGreaterThan(0.003); // hundreds of metres off before conversion
			const csv = `户主姓名,经度,纬度,地址\n测试,${x},${y},坐标系测试\n`;
			const rep = await runImport(getDb(), null, { layer: 'households', fileName: 'c.csv', bytes: Buffer.from(csv), crs }, { commit: false });
			const [px, py] = (rep.map.features.find((f) => f.properties?.kind === 'row')!.geometry as any).coordinates;
			expect(Math.hypot(px - wgs[0], py - wgs[1]) * 111_000).toBeLessThan(2); // metres
			expect(rep.preview[0].gridCode).toBe('430188001001001');
		}
	});

	it('imports hazards and requests; each request is 已上报 with a legal report event', async () => {
		expect((await commit(getDb(), 'good/hazards.csv', 'hazards')).inserted).toEqual({ hazards: 2 });
		const hz = await getDb().sql`SELECT code, type, severity, status, grid_code, found_at FROM hazards WHERE code LIKE 'YH-IMP-%' ORDER BY code`;
		expect(hz.map((h) => [h.code, h.type, h.severity, h.status, h.grid_code])).toEqual([
			['YH-IMP-001', 'fire_access', 2, 'open', '430188001001001'], ['YH-IMP-002', 'gas', 3, 'open', '430188001001002']]);
		expect(new Date(hz[0].found_at).toISOString()).toBe('2026-03-01T01:30:00.000Z'); // 09:30 北京时间
		expect((await commit(getDb(), 'good/requests.csv', 'requests')).inserted).toEqual({ requests: 2, request_events: 2 });
		const rq = await getDb().sql`SELECT r.code, r.status, r.category_code, r.channel, r.priority, e.action, e.from_status, e.at = r.reported_at AS same_time
			FROM requests r JOIN request_events e ON e.request_id = r.id WHERE r.code LIKE 'SQ-IMP-%' ORDER BY r.code`;
		expect(rq).toEqual([
			{ code: 'SQ-IMP-0001', status: 'reported', category_code: 'import.elevator', channel: 'hotline_12345', priority: 'urgent', action: 'report', from_status: null, same_time: true },
			{ code: 'SQ-IMP-0002', status: 'reported', category_code: 'import.noise', channel: 'grid', priority: 'normal', action: 'report', from_status: null, same_time: true }
		]);
		// and the state machine takes it from there
		const [{ id }] = await getDb().sql<{ id: number }>`SELECT id FROM requests WHERE code = 'SQ-IMP-0001'`;
		const [dept] = await getDb().sql<{ id: number }>`INSERT INTO departments (code, name) VALUES ('imp_dept', '导入测试部门') ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id`;
		await getDb().sql`SELECT request_transition(${id}, 'dispatch', NULL, NULL, ${dept.id}, now(), NULL, NULL, '{}'::jsonb)`;
		expect((await getDb().sql`SELECT status FROM requests WHERE id = ${id}`)[0].status).toBe('dispatched');
	});

	it('reads an Excel sheet: dates as 北京时间 wall clock, numbers and rich text as values', async () => {
		const { default: ExcelJS } = await import('exceljs');
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('隐患台账');
		ws.addRow(['隐患编号', '隐患描述', '隐患类型', '等级', '发现时间', '整改期限', '经度', '纬度']);
		// Excel keeps no zone: a cell showing 2026-03-01 09:30 is that wall-clock time in Beijing
		ws.addRow(['YH-XLSX-1', { richText: [{ text: '楼道' }, { text: '堆物', font: { bold: true } }] }, '燃气安全', 2, new Date(Date.UTC(2026, 2, 1, 9, 30)), '2026-03-08', 113.2052, 28.2052]);
		const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
		const r = await runImport(getDb(), null, { layer: 'hazards', fileName: '隐患.xlsx', bytes, crs: 'wgs84' }, { commit: false });
		expect(r.errors).toEqual([]);
		expect(r.format).toBe('xlsx');
		expect(r.preview[0].values).toMatchObject({ code: 'YH-XLSX-1', title: '楼道堆物', type: 'gas', severity: 2, found_at: '2026-03-01T01:30:00.000Z' });
		expect(r.preview[0].gridCode).toBe('430188001001001');
	});

	it('records each commit in import_jobs', async () => {
		const jobs = await getDb().sql`SELECT layer, mode, rows FROM import_jobs ORDER BY id`;
		expect(jobs).toEqual([
			{ layer: 'areas', mode: 'append', rows: 3 }, { layer: 'grids', mode: 'append', rows: 2 }, { layer: 'households', mode: 'append', rows: 3 },
			{ layer: 'hazards', mode: 'append', rows: 2 }, { layer: 'requests', mode: 'append', rows: 2 }
		]);
	});

	it('repairs a self-intersecting grid with ST_MakeValid and says so', async () => {
		const r = await runImport(getDb(), null, { layer: 'grids', fileName: 'b.geojson', bytes: file('broken/bowtie-grid.geojson'), crs: 'wgs84' }, { commit: false });
		expect(r.warnings[0]).toMatchObject({ row: 1, field: 'geometry' });
		expect(r.warnings[0].message).toMatch(/Self-intersection.*ST_MakeValid/);
		// the repaired bow-tie lies inside grid 001: the overlap is drawn, and refused (far beyond the tolerance)
		expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^与网格 \d+ 重叠 \d+ 平方米.*超出容差/)]);
		expect(r.map.features.filter((f) => f.properties?.kind === 'overlap').length).toBe(1);
	});

	it('refuses a gap where a community is not covered, an overlap where grids share area, and a part outside, beyond the tolerance; shows each on the map', async () => {
		// a second community north of the first; its one grid covers only the west half, pushed 0.001° south
		const area = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '430188001002', name: '北社区' },
			geometry: { type: 'Polygon', coordinates: [[[113.2, 28.21], [113.22, 28.21], [113.22, 28.22], [113.2, 28.22], [113.2, 28.21]]] } }] };
		await runImport(getDb(), null, { layer: 'areas', fileName: 'a.geojson', bytes: Buffer.from(JSON.stringify(area)), crs: 'wgs84' }, { commit: true });
		const grid = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '430188001002001', name: '偏南网格' },
			geometry: { type: 'Polygon', coordinates: [[[113.2, 28.209], [113.21, 28.209], [113.21, 28.219], [113.2, 28.219], [113.2, 28.209]]] } }] };
		const r = await runImport(getDb(), null, { layer: 'grids', fileName: 'g.geojson', bytes: Buffer.from(JSON.stringify(grid)), crs: 'wgs84' }, { commit: false });
		const m2 = (kind: string) => Number(/(\d+) m²/.exec(String(r.map.features.find((f) => f.properties?.kind === kind)?.properties?.label))?.[1]);
		// 0.01° × 0.001° at 28.2°N ≈ 979 m × 111 m
		expect(m2('overlap')).toBeGreaterThan(100_000);
		expect(m2('overlap')).toBeLessThan(120_000);
		expect(m2('outside')).toBe(m2('overlap'));
		expect(m2('gap')).toBeGreaterThan(1_000_000); // the east half and the strip at the top
		// each is far beyond 100 m² or 0.5 % of its grid or community: errors, and nothing is committed
		expect(r.errors.map((w) => w.message).join('\n')).toMatch(/空隙[\s\S]*超出容差[\s\S]*重叠[\s\S]*超出所属社区/);
		expect(r.committed).toBe(false);
	});
});

// Each broken file: a message that says what is wrong, and not one row written anywhere.
const CORPUS: [string, Layer, RegExp][] = [
	['broken/not-feature-collection.geojson', 'grids', /顶层必须是 FeatureCollection.*Feature/],
	['broken/invalid-json.geojson', 'grids', /不是有效的 JSON/],
	['broken/degenerate-grid.geojson', 'grids', /第 1 个要素.*修复后没有面积/],
	['broken/unclosed-ring.geojson', 'grids', /第 1 个要素.*环未闭合/],
	['broken/projected-coords.geojson', 'grids', /投影坐标（单位米）/],
	['broken/missing-community.geojson', 'grids', /所属社区 430199009009（网格编码前 12 位）不存在/],
	['broken/duplicate-codes.geojson', 'grids', /第 2 个要素.*430188001001007.*与第 1 个要素重复/],
	['good/grids.geojson', 'grids', /网格编码 430188001001001 已存在/],
	['broken/point-not-polygon.geojson', 'grids', /必须是面.*Point/],
	['broken/malformed.kml', 'grids', /不是有效的 KML/],
	['broken/missing-columns.csv', 'households', /缺少必填列：户主姓名/],
	['broken/bad-numbers.csv', 'households', /第 2 行.*经度必须是数字.*第 3 行.*家庭人口必须是数字.*第 4 行.*家庭人口必须在 1–20 之间/],
	['broken/swapped-latlng.csv', 'households', /第 2 行.*经纬度可能写反了/],
	['broken/outside-grids.csv', 'households', /第 3 行.*不在任何网格内/],
	['broken/out-of-china.csv', 'households', /不在中国范围内/],
	['broken/bad-id-number.csv', 'households', /身份证号校验位不正确/],
	['good/households.csv', 'households', /身份证号已存在于住户/],
	['broken/bad-dates.csv', 'hazards', /第 2 行.*发现时间不是有效的时间.*第 3 行.*整改期限早于发现时间.*第 4 行.*等级/],
	['good/hazards.csv', 'hazards', /隐患编号 YH-IMP-001 已存在/],
	['broken/unknown-category.csv', 'requests', /无法识别诉求类别“外星人”/],
	['broken/bad-quotes.csv', 'households', /CSV 格式错误/],
	['broken/wrong-type.docx', 'grids', /不支持的文件类型“\.docx”/],
	['broken/zip-bomb.zip', 'grids', /压缩比 \d+:1.*疑似压缩炸弹/],
	['broken/zip-lying-size.zip', 'grids', /解压后比声明的大小更大/],
	['broken/zip-path-traversal.zip', 'grids', /上级目录或绝对路径.*路径穿越/],
	['broken/zip-missing-shp.zip', 'grids', /压缩包中没有 \.shp 文件/],
	['broken/zip-corrupt.zip', 'grids', /不是有效的 \.zip/],
	['good/households.csv', 'grids', /表格中没有几何列/]
];

describeBackends('import: the broken corpus', (getDb) => {
	beforeAll(async () => {
		const db = getDb();
		if (!(await db.sql`SELECT 1 FROM grids WHERE code = '430188001001001'`).length) {
			await db.exec(`INSERT INTO categories (code, parent_code, name) VALUES ('import', NULL, '导入测试大类') ON CONFLICT DO NOTHING`);
			for (const [name, layer] of [['good/areas.geojson', 'areas'], ['good/grids.geojson', 'grids'], ['good/households.csv', 'households'], ['good/hazards.csv', 'hazards']] as const) {
				await runImport(db, null, { layer, fileName: name, bytes: file(name), crs: 'wgs84' }, { commit: true });
			}
		}
	});

	it.each(CORPUS)('%s as %s: a clear message, nothing written', async (name, layer, message) => {
		const before = await counts(getDb());
		const { fileError, report } = await attempt(getDb(), name, layer);
		const said = fileError ? fileError.message : report!.errors.map((e) => `${e.where} ${e.field}: ${e.message}`).join(' | ');
		expect(report?.committed ?? false).toBe(false);
		expect(said).toMatch(message);
		expect(await counts(getDb())).toEqual(before);
	});

	// 数据导入 from the web runs as the admin under row-level security, where grid_app reads no ID
	// numbers: the duplicate check still names the household (a definer function compares them, 0011)
	it('finds an ID number that is already taken when an admin previews through the web', async () => {
		const db = getDb();
		const [u] = await db.sql<{ id: number }>`INSERT INTO users (username, display_name, role) VALUES (${'imp_admin_' + Date.now().toString(36)}, '导入管理员', 'admin') RETURNING id`;
		const admin: SessionUser = { id: u.id, username: 'imp_admin', displayName: '导入管理员', role: 'admin', departmentId: null, title: null };
		const before = await counts(db);
		const report = await runImport(asUser(db, admin), admin, { layer: 'households', fileName: 'h.csv', bytes: file('good/households.csv'), crs: 'wgs84' }, { commit: false });
		expect(report.errors.map((e) => e.message).join(' | ')).toMatch(/身份证号已存在于住户 #\d+/);
		expect(await counts(db)).toEqual(before);
		// a grid manager cannot use the same function to learn whose number it is
		const [g] = await db.sql<{ id: number }>`INSERT INTO users (username, display_name, role) VALUES (${'imp_wg_' + Date.now().toString(36)}, '网格员', 'grid_manager') RETURNING id`;
		const taken = await asUser(db, { id: g.id, role: 'grid_manager' }).sql`SELECT * FROM import_id_numbers_taken(ARRAY['430104199001011230'])`;
		expect(taken).toEqual([]);
	});

	it('refuses files over the size, vertex and row limits before reading them', async () => {
		const before = await counts(getDb());
		const huge = await attempt(getDb(), 'big.geojson', 'grids', 'wgs84', { bytes: new Uint8Array(50 * 1024 * 1024 + 1) });
		expect(huge.fileError?.message).toMatch(/文件 50\.0 MB，超过上限 50\.0 MB/);
		const ring = Array.from({ length: 100_001 }, (_, i) => [113.2 + 0.01 * Math.cos((2 * Math.PI * i) / 100_000), 28.2 + 0.01 * Math.sin((2 * Math.PI * i) / 100_000)]);
		ring[ring.length - 1] = ring[0];
		const many = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '430188001001009', name: 'x' }, geometry: { type: 'Polygon', coordinates: [ring] } }] });
		const vertices = await attempt(getDb(), 'v.geojson', 'grids', 'wgs84', { bytes: Buffer.from(many) });
		expect(vertices.fileError?.message).toMatch(/第 1 个要素的几何有 100001 个顶点，超过单个图形上限 100000/);
		const rows = await attempt(getDb(), 'good/households.csv', 'households', 'wgs84', { limits: { maxRows: 2 } });
		expect(rows.fileError?.message).toMatch(/文件有 3 行，超过上限 2 行/);
		expect(await counts(getDb())).toEqual(before);
	});

	it('an error in one row keeps the good rows out too: all or nothing', async () => {
		const before = await counts(getDb());
		const { report } = await attempt(getDb(), 'broken/outside-grids.csv', 'households');
		expect(report).toMatchObject({ total: 2, valid: 1, errorCount: 1, committed: false });
		expect(await counts(getDb())).toEqual(before);
	});

	it('refuses “replace the demo district” on a database that is not the demo', async () => {
		const err = await runImport(getDb(), null, { layer: 'areas', fileName: 'a.geojson', bytes: file('good/areas.geojson'), crs: 'wgs84', replaceDemo: true }, { commit: true }).catch((e) => e);
		expect(err).toBeInstanceOf(ImportFileError);
		expect(err.message).toMatch(/不是演示辖区.*真实数据不会被删除/);
	});
});
