// 导出: every layer in GeoJSON, CSV and .xlsx with the rows the filter and the user's grids allow,
// personal data masked unless unmasked with a reason by someone allowed, CSV that Excel reads
// (BOM, quoting) and cannot be attacked through (formula cells neutralised), one audit row each.
import { asUser } from '../../src/lib/server/access/userdb';
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { parseExportTarget, contentDisposition } from '../../src/lib/domain/exportspec';
import { restoreText } from '../../src/lib/domain/csv';
import { HAZARD_SEVERITY, HAZARD_STATUS, HAZARD_TYPE } from '../../src/lib/domain/labels';
import { parse } from 'csv-parse/sync';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { exportLayer, type ExportOptions } from '../../src/lib/server/export/export';
import { parseExportQuery } from '../../src/lib/server/export/layers';
import { exportRequestList, REQUEST_LIST_HEADER } from '../../src/lib/server/export/requestList';
import { parseRequestFilter } from '../../src/lib/domain/requestfilter';
import { listRequests } from '../../src/lib/server/requests/list';
import { describeBackends } from './helpers/backends';
import { HOSTILE, insertOpenDataFixture, OD, type OpenDataPeople } from './opendata.fixture';

describeBackends('export', (getDb) => {
	let people: OpenDataPeople;
	beforeAll(async () => {
		people = await insertOpenDataFixture(getDb());
	});

	const run = async (user: SessionUser, target: string, qs = '', grids: string[] | null = null, options: ExportOptions = {}) => {
		const [layer, format] = parseExportTarget(target);
		const file = await exportLayer(asUser(getDb(), user), user, layer, parseExportQuery(new URLSearchParams(qs), grids), format, { batchSize: 2, ...options });
		return { file, bytes: new Uint8Array(await new Response(file.body).arrayBuffer()) };
	};
	const text = (b: Uint8Array) => new TextDecoder().decode(b); // drops the BOM
	const csvRows = (b: Uint8Array) => parse(text(b), { bom: true, columns: true }) as Record<string, string>[];

	it('writes grids as RFC 7946 GeoJSON: WGS84 polygons with counter-clockwise outer rings, ids and properties', async () => {
		const { file, bytes } = await run(people.leader, 'grids.geojson', `area=${OD.community}`);
		const fc = JSON.parse(text(bytes));
		expect(file.rows).toBe(2);
		expect(fc.type).toBe('FeatureCollection');
		expect(fc.features.map((f: any) => f.id)).toEqual([OD.gridA, OD.gridB]);
		expect(fc.features[0].properties).toEqual({ code: OD.gridA, name: '东风网格', community_code: OD.community, manager: 'od_gmA' });
		const ring: number[][] = fc.features[0].geometry.coordinates[0][0];
		const area2 = ring.slice(1).reduce((s, p, i) => s + (ring[i][0] * p[1] - p[0] * ring[i][1]), 0);
		expect(area2).toBeGreaterThan(0); // positive shoelace sum = counter-clockwise
		expect(file.headers['content-type']).toBe('application/geo+json; charset=utf-8');
	});

	it('pages households through keyset batches (batch 2, 3 rows) without losing or repeating one', async () => {
		const { file, bytes } = await run(people.admin, 'households.geojson', `area=${OD.district}`);
		const ids = JSON.parse(text(bytes)).features.map((f: any) => f.id);
		expect(file.rows).toBe(3);
		expect(ids).toEqual([...people.households].sort((a, b) => a - b));
	});

	it('masks personal data by default, even for an admin, and keeps tags as an array in GeoJSON', async () => {
		const { file, bytes } = await run(people.admin, 'households.geojson', `area=${OD.district}`);
		const first = JSON.parse(text(bytes)).features[0].properties;
		expect(file.unmasked).toBe(false);
		expect(first).toMatchObject({ head_name: '张*华', phone: '+861******1234', id_number: '4301**********1234', tags: ['elderly_alone', 'low_income'] });
	});

	it('unmasks for a grid manager with a reason, limited to their own grids, and logs the fields', async () => {
		const { file, bytes } = await run(people.gmA, 'households.csv', '', [OD.gridA], { unmaskReason: '入户走访核对台账', codes: true });
		const rows = csvRows(bytes);
		expect(file.unmasked).toBe(true);
		expect(rows.map((r) => r.grid_code)).toEqual([OD.gridA, OD.gridA]);
		expect(rows[0].head_name).toBe('张三华');
		const [log] = await getDb().sql`SELECT subject, rows, detail->'fields' AS fields, detail->>'note' AS note FROM audit_log
			WHERE user_id = ${people.gmA.id} AND action = 'export' ORDER BY id DESC LIMIT 1`;
		expect(log).toMatchObject({ subject: 'households.csv', rows: 2, fields: ['head_name', 'phone', 'id_number'] });
		expect(log.note).toMatch(/^含完整个人信息，原因：入户走访核对台账/);
	});

	it('refuses unmasking to a leader and a too-short reason, and logs nothing', async () => {
		const before = (await getDb().sql`SELECT count(*) AS n FROM audit_log WHERE action = 'export'`)[0].n;
		await expect(run(people.leader, 'households.csv', '', null, { unmaskReason: '核对台账数据' })).rejects.toThrow(/只有网格员（本人网格）和管理员/);
		await expect(run(people.admin, 'households.csv', '', null, { unmaskReason: '看' })).rejects.toMatchObject({ field: 'reason' });
		expect((await getDb().sql`SELECT count(*) AS n FROM audit_log WHERE action = 'export'`)[0].n).toBe(before);
	});

	it('writes CSV for programs (codes=1) with a BOM, CRLF, quoted commas/quotes/newlines and neutralised formulas', async () => {
		const { bytes } = await run(people.admin, 'households.csv', `area=${OD.district}`, null, { unmaskReason: '核对台账数据', codes: true });
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const raw = text(bytes);
		expect(raw.split('\r\n')[0]).toBe('id,grid_code,building,address,head_name,phone,id_number,size,tags,last_visit_at,lon,lat');
		expect(raw).toContain('"幸福路1号,3栋 ""东门""\n二单元"');
		const rows = csvRows(bytes);
		expect(rows[0].address).toBe(HOSTILE.address);
		expect(rows[0].phone).toBe(`'${HOSTILE.phone}`); // + starts a formula in Excel
		expect(rows[1].address).toBe(`'${HOSTILE.formula}`);
		expect(restoreText(rows[1].address)).toBe(HOSTILE.formula);
		expect(rows[0]).toMatchObject({ tags: 'elderly_alone;low_income', lon: '113.005', lat: '28.205', size: '3' });
		expect(rows[0].last_visit_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+08:00$/);
	});

	it('writes polygons into CSV as WKT', async () => {
		const rows = csvRows((await run(people.leader, 'grids.csv', `area=${OD.community}`, null, { codes: true })).bytes);
		expect(rows[0].wkt).toMatch(/^MULTIPOLYGON\(\(\(113 28\.2,/);
	});

	it('writes .xlsx for programs (codes=1) that Excel libraries read back: names, codes, text as typed (no apostrophe: an .xlsx string is never a formula)', async () => {
		const { file, bytes } = await run(people.admin, 'households.xlsx', `area=${OD.district}`, null, { codes: true });
		expect(file.headers['content-type']).toMatch(/spreadsheetml/);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(bytes.buffer as ArrayBuffer);
		const ws = wb.worksheets[0];
		expect(ws.name).toBe('住户台账');
		expect(ws.rowCount).toBe(4);
		expect(ws.getRow(1).getCell(4).value).toBe('address');
		expect(ws.getRow(3).getCell(4).value).toBe(HOSTILE.formula);
		expect(ws.getRow(3).getCell(4).type).toBe(ExcelJS.ValueType.String);
		expect(ws.getRow(2).getCell(5).value).toBe('张*华');
		expect(ws.getRow(2).getCell(11).value).toBe(113.005);
	});

	it('writes .xlsx for people by default: Chinese headers, labels, real dates in Beijing time, numbers as numbers, column widths', async () => {
		const db = getDb();
		const [{ at }] = await db.sql<{ at: string }>`SELECT last_visit_at AS at FROM households WHERE id = ${people.households[0]}`;
		const { bytes } = await run(people.admin, 'households.xlsx', `area=${OD.district}`);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(bytes.buffer as ArrayBuffer);
		const ws = wb.worksheets[0];
		const head = (ws.getRow(1).values as unknown[]).slice(1);
		expect(head).toEqual(['编号', '网格编码', '楼栋/院落', '地址', '户主姓名', '联系电话', '身份证号', '户人数', '重点人群标签', '最近走访时间', '经度', '纬度']);
		const first = ws.getRow(2);
		expect(first.getCell(9).value).toBe('独居老人、低保');
		expect(first.getCell(8).value).toBe(3);
		const visited = first.getCell(10);
		expect(visited.type).toBe(ExcelJS.ValueType.Date);
		expect(visited.numFmt).toBe('yyyy-mm-dd hh:mm');
		// the cell holds the Beijing wall-clock time (Excel has no zones): 8 h ahead of the instant
		expect((visited.value as Date).getTime() - new Date(at).getTime()).toBe(8 * 3_600_000);
		expect(ws.getRow(3).getCell(4).value).toBe(HOSTILE.formula);
		expect(ws.getColumn(4).width).toBe(36);
	});

	it('writes hazards and requests for people: labels for type, severity, status, kind, channel', async () => {
		const hz = csvRows((await run(people.admin, 'hazards.csv', `area=${OD.district}`)).bytes);
		expect(Object.keys(hz[0]).slice(0, 4)).toEqual(['编码', '类型', '等级', '状态']);
		const [{ type, severity, status }] = await getDb().sql<{ type: string; severity: number; status: string }>`SELECT type, severity, status FROM hazards WHERE code = ${hz[0]['编码']}`;
		expect(hz[0]).toMatchObject({ 类型: HAZARD_TYPE[type], 等级: HAZARD_SEVERITY[severity], 状态: HAZARD_STATUS[status] });
		expect(hz[0]['发现时间']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
		const rq = csvRows((await run(people.admin, 'requests.csv', `area=${OD.district}`)).bytes);
		expect(rq.find((r) => r['编码'] === 'ODSQ1')).toMatchObject({ 状态: '已上报', 反映人: '张*华', 来源渠道: expect.not.stringMatching(/^[a-z_0-9]+$/) });
	});

	it('exports requests with the /requests list filters and the grid manager scope', async () => {
		const all = csvRows((await run(people.admin, 'requests.csv', `area=${OD.district}`, null, { codes: true })).bytes);
		expect(all.map((r) => r.code).sort()).toEqual(['ODSQ1', 'ODSQ2', 'ODSQ3', 'ODSQ4']);
		expect(all.find((r) => r.code === 'ODSQ1')).toMatchObject({ reporter_name: '张*华', reporter_phone: '138****1234', status: 'reported' });
		const open = csvRows((await run(people.admin, 'requests.csv', `area=${OD.district}&status=open`, null, { codes: true })).bytes);
		expect(open.map((r) => r.code).sort()).toEqual(['ODSQ1', 'ODSQ3', 'ODSQ4']);
		const mine = csvRows((await run(people.gmA, 'requests.csv', '', [OD.gridA], { codes: true })).bytes);
		expect(mine.map((r) => r.code).sort()).toEqual(['ODSQ1', 'ODSQ2']);
	});

	it('filters hazards by status and any layer by bbox', async () => {
		const open = csvRows((await run(people.admin, 'hazards.csv', 'hazard_status=open,rectifying')).bytes);
		expect(open.map((r) => r['编码'])).toEqual(['ODHZ1']);
		const east = csvRows((await run(people.admin, 'hazards.csv', 'bbox=113.01,28.2,113.02,28.21')).bytes);
		expect(east.map((r) => r['编码'])).toEqual(['ODHZ2']);
	});

	it('writes one audit row per export, masked ones too', async () => {
		const count = async () => (await getDb().sql`SELECT count(*) AS n FROM audit_log WHERE action = 'export' AND user_id = ${people.leader.id}`)[0].n;
		const before = await count();
		await run(people.leader, 'areas.geojson');
		const [log] = await getDb().sql`SELECT subject, rows, detail->'fields' AS fields, detail->>'note' AS note FROM audit_log
			WHERE action = 'export' AND user_id = ${people.leader.id} ORDER BY id DESC LIMIT 1`;
		expect(await count()).toBe(before + 1);
		expect(log).toEqual({ subject: 'areas.geojson', rows: 3, fields: [], note: '个人信息已脱敏；条件：无' });
	});

	it('exports visits with the /visits rule: a 四不两直 plan only to its leader and admins; routes as LineStrings', async () => {
		const db = getDb();
		const visit = async (title: string, unannounced: boolean, route: string | null) =>
			(await db.sql<{ id: number }>`INSERT INTO visits (leader_id, title, visit_type, unannounced, status, planned_date, route)
				VALUES (${people.leader.id}, ${title}, 'research', ${unannounced}, 'planned', '2026-11-25', ${route}) RETURNING id`)[0].id;
		const open = await visit('物业调研', false, 'SRID=4326;LINESTRING(113.001 28.201,113.015 28.205)');
		const secret = await visit('暗访燃气', true, null);
		const seen = async (user: SessionUser) => JSON.parse(text((await run(user, 'visits.geojson')).bytes)).features;
		expect((await seen(people.gmA)).map((f: any) => f.id)).toEqual([open]);
		const mine = await seen(people.leader);
		expect(mine.map((f: any) => f.id)).toEqual([open, secret]);
		expect(mine[0].geometry.type).toBe('LineString');
		expect(mine[1]).toMatchObject({ geometry: null, properties: { title: '暗访燃气', unannounced: 'true', planned_date: '2026-11-25', stops: 0 } });
		expect((await seen(people.admin)).length).toBe(2);
	});

	it('names a bad layer, format, bbox or status', () => {
		expect(() => parseExportTarget('people.csv')).toThrow(expect.objectContaining({ field: 'layer' }));
		expect(() => parseExportTarget('grids.shp')).toThrow(expect.objectContaining({ field: 'format' }));
		expect(() => parseExportQuery(new URLSearchParams('bbox=1,2,3'), null)).toThrow(expect.objectContaining({ field: 'bbox' }));
		expect(() => parseExportQuery(new URLSearchParams('hazard_status=gone'), null)).toThrow(expect.objectContaining({ field: 'hazard_status' }));
	});

	it('gives a Chinese file name the RFC 5987 way with an ASCII fallback', () => {
		expect(contentDisposition('grids-2026-11-21.csv', '网格-2026-11-21.csv'))
			.toBe(`attachment; filename="grids-2026-11-21.csv"; filename*=UTF-8''%E7%BD%91%E6%A0%BC-2026-11-21.csv`);
	});

	// the /requests list's 导出 Excel / 导出 CSV: the list's rows, order and labels, streamed a page at a time
	const list = async (user: SessionUser, qs: string, format: 'csv' | 'xlsx', batchSize?: number) => {
		const db = asUser(getDb(), user);
		const file = await exportRequestList(db, user.id, parseRequestFilter(new URLSearchParams(qs)), null, format, { describe: `?${qs}`, batchSize });
		return { file, bytes: new Uint8Array(await new Response(file.body).arrayBuffer()) };
	};

	it('exports the /requests list in its own order and labels, page by page, as CSV and .xlsx', async () => {
		const qs = `area=${OD.district}&from=2000-01-01`;
		const shown = (await listRequests(asUser(getDb(), people.admin), { ...parseRequestFilter(new URLSearchParams(qs)), limit: 100 }, null)).rows;
		const { file, bytes } = await list(people.admin, qs, 'csv', 2);
		const rows = csvRows(bytes);
		expect(file.rows).toBe(4);
		expect(text(bytes).split('\r\n')[0]).toBe(REQUEST_LIST_HEADER.join(','));
		expect(rows.map((r) => r['编号'])).toEqual(shown.map((r) => r.code));
		expect(rows.find((r) => r['编号'] === 'ODSQ1')).toMatchObject({ 类别: '电梯故障', 状态: '已上报', 紧急程度: '一般' });
		expect(file.headers['content-disposition']).toMatch(/^attachment; filename="requests.csv"; filename\*=UTF-8''/);
		const xlsx = await list(people.admin, qs, 'xlsx', 3);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(xlsx.bytes.buffer as ArrayBuffer);
		const ws = wb.worksheets[0];
		expect(ws.name).toBe('诉求清单');
		expect(ws.rowCount).toBe(5);
		expect(ws.getRow(1).getCell(1).value).toBe('编号');
		expect([2, 3, 4, 5].map((i) => ws.getRow(i).getCell(1).value)).toEqual(shown.map((r) => r.code));
		expect(ws.getColumn(4).width).toBe(36);
	});

	it('streams a request list longer than the old 10 000-row cap whole, and audits its size', async () => {
		const db = getDb();
		const n = 10_050;
		await db.sql`INSERT INTO requests (code, category_code, channel, status, title, grid_code, reported_at, geom)
			SELECT 'ODBIG' || lpad(i::text, 5, '0'), 'od_city.light', 'grid', 'reported', '路灯不亮', ${OD.gridB}, now() - i * interval '1 second',
				ST_SetSRID(ST_MakePoint(113.015, 28.205), 4326)
			FROM generate_series(1, ${n}) AS i`;
		try {
			const { file, bytes } = await list(people.admin, `area=${OD.district}&from=2000-01-01&q=ODBIG`, 'csv');
			const codes = csvRows(bytes).map((r) => r['编号']);
			expect(file.rows).toBe(n);
			expect(codes.length).toBe(n);
			expect(new Set(codes).size).toBe(n);
			const [audit] = await db.sql<{ rows: number }>`SELECT rows FROM audit_log WHERE subject = 'requests.csv' AND user_id = ${people.admin.id} ORDER BY id DESC LIMIT 1`;
			expect(audit.rows).toBe(n);
		} finally {
			await db.sql`DELETE FROM requests WHERE code LIKE 'ODBIG%'`;
		}
	});
});
