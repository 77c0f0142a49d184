// Round trip on both back ends: the fixture district imported, exported with the export of
// src/lib/server/export (GeoJSON, CSV, XLSX; unmasked, as an admin), the tables emptied, the
// exports imported again: every table holds the same rows, geometry to the last stored digit.
import { asUser } from '../../src/lib/server/access/userdb';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { EXPORT_FORMATS, type ExportFormat } from '../../src/lib/domain/exportspec';
import type { Layer } from '../../src/lib/domain/import/types';
import type { SessionUser } from '../../src/lib/server/auth/user';
import type { Db } from '../../src/lib/server/db/client';
import { exportLayer } from '../../src/lib/server/export/export';
import { parseExportQuery } from '../../src/lib/server/export/layers';
import { runImport } from '../../src/lib/server/import/run';
import { describeBackends } from './helpers/backends';

const FIX = path.resolve('tests/fixtures/import/good');
const ORDER: [Layer, string][] = [['areas', 'areas.geojson'], ['grids', 'grids.geojson'], ['households', 'households.csv'], ['hazards', 'hazards.csv'], ['requests', 'requests.csv']];

/** Everything the import writes, without serial ids: what must survive the round trip. */
async function snapshot(db: Db) {
	const q = (text: string) => db.query(text);
	return {
		areas: await q(`SELECT code, level, name, parent_code, setting, ST_AsText(geom) AS geom, ST_AsText(label_point) AS label FROM areas ORDER BY code`),
		grids: await q(`SELECT code, community_code, name, ST_AsText(geom) AS geom, ST_AsText(label_point) AS label FROM grids ORDER BY code`),
		buildings: await q(`SELECT grid_code, name, kind, floors, ST_AsText(geom) AS geom FROM buildings ORDER BY grid_code, name`),
		households: await q(`SELECT h.grid_code, b.name AS building, address, head_name, phone, id_number, size, tags, ST_AsText(h.geom) AS geom
			FROM households h JOIN buildings b ON b.id = h.building_id ORDER BY address`),
		hazards: await q(`SELECT code, type, severity, status, title, grid_code, found_at::text, rectify_deadline::text, rectified_at::text,
			reinspect_deadline::text, reinspected_at::text, ST_AsText(geom) AS geom FROM hazards ORDER BY code`),
		requests: await q(`SELECT code, kind, category_code, channel, status, priority, title, description, grid_code, reporter_name, reporter_phone,
			address, reported_at::text, details, version, ST_AsText(geom) AS geom FROM requests ORDER BY code`),
		events: await q(`SELECT r.code, e.from_status, e.to_status, e.action, e.at::text, e.reason FROM request_events e JOIN requests r ON r.id = e.request_id ORDER BY r.code, e.id`)
	};
}

async function emptyDistrict(db: Db) {
	await db.exec('TRUNCATE areas, import_jobs CASCADE');
}

async function importAll(db: Db, user: SessionUser, files: [Layer, string, Uint8Array][]) {
	for (const [layer, fileName, bytes] of files) {
		const r = await runImport(db, user, { layer, fileName, bytes, crs: 'wgs84' }, { commit: true });
		expect(r.errors, `${fileName}: ${JSON.stringify(r.errors.slice(0, 3))}`).toEqual([]);
		expect(r.committed, fileName).toBe(true);
	}
}

async function exportAll(db: Db, user: SessionUser, format: ExportFormat): Promise<[Layer, string, Uint8Array][]> {
	const query = parseExportQuery(new URLSearchParams('from=2026-01-01&to=2026-12-31'), null, new Date('2026-11-21T08:00:00Z'));
	const out: [Layer, string, Uint8Array][] = [];
	for (const [layer] of ORDER) {
		const file = await exportLayer(asUser(db, user), user, layer, query, format, { unmaskReason: '导入导出往返测试' });
		out.push([layer, `${layer}.${format}`, new Uint8Array(await new Response(file.body).arrayBuffer())]);
	}
	return out;
}

describeBackends('import → export → import', (getDb) => {
	let admin: SessionUser;
	beforeAll(async () => {
		const db = getDb();
		await db.exec(`INSERT INTO categories (code, parent_code, name) VALUES ('import', NULL, '导入测试大类') ON CONFLICT DO NOTHING;
			INSERT INTO categories (code, parent_code, name) VALUES ('import.elevator', 'import', '电梯故障'), ('import.noise', 'import', '噪音扰民') ON CONFLICT DO NOTHING`);
		const [u] = await db.sql<{ id: number }>`INSERT INTO users (username, display_name, role) VALUES ('rt_admin', '往返测试管理员', 'admin')
			ON CONFLICT (username) DO UPDATE SET role = 'admin' RETURNING id`;
		admin = { id: u.id, username: 'rt_admin', displayName: '往返测试管理员', role: 'admin', departmentId: null, title: null };
	});

	it.each(EXPORT_FORMATS)('through %s: the same rows in every table', async (format) => {
		const db = getDb();
		await emptyDistrict(db);
		await importAll(db, admin, ORDER.map(([layer, name]) => [layer, name, new Uint8Array(readFileSync(path.join(FIX, name)))]));
		const before = await snapshot(db);
		expect(before.households.length).toBe(3);
		expect(before.requests.length).toBe(2);
		const exported = await exportAll(db, admin, format);
		await emptyDistrict(db);
		expect((await snapshot(db)).grids).toEqual([]);
		await importAll(db, admin, exported);
		expect(await snapshot(db)).toEqual(before);
	});

	it('a masked export does not pass as data: the masked cells are named', async () => {
		const db = getDb();
		const query = parseExportQuery(new URLSearchParams(), null);
		const masked = await exportLayer(asUser(db, admin), admin, 'households', query, 'csv');
		const bytes = new Uint8Array(await new Response(masked.body).arrayBuffer());
		await db.exec('TRUNCATE households, buildings CASCADE');
		const r = await runImport(db, admin, { layer: 'households', fileName: 'masked.csv', bytes, crs: 'wgs84' }, { commit: true });
		expect(r.committed).toBe(false);
		expect(r.errors.map((e) => e.message).join(' ')).toMatch(/不是有效的电话号码：“138\*\*\*\*1234”.*身份证号必须是 18 位/);
	});
});

describeBackends('import: replacing the demo district', (getDb) => {
	const areas = () => new Uint8Array(readFileSync(path.join(FIX, 'areas.geojson')));
	beforeAll(async () => {
		const db = getDb();
		await emptyDistrict(db);
		await db.exec(`INSERT INTO categories (code, parent_code, name) VALUES ('import', NULL, '导入测试大类') ON CONFLICT DO NOTHING;
			INSERT INTO categories (code, parent_code, name) VALUES ('import.elevator', 'import', '电梯故障'), ('import.noise', 'import', '噪音扰民') ON CONFLICT DO NOTHING`);
		// a "demo district": the fixture district, flagged synthetic as the seed flags it
		for (const [layer, name] of ORDER) await runImport(db, null, { layer, fileName: name, bytes: new Uint8Array(readFileSync(path.join(FIX, name))), crs: 'wgs84' }, { commit: true });
		await db.exec(`INSERT INTO app_meta (key, value) VALUES ('seed', '{"synthetic": true}') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
			UPDATE users SET password_hash = NULL WHERE role = 'admin'`);
	});

	it('is refused while no admin has a password (demo sign-in closes with it), and nothing changes', async () => {
		const db = getDb();
		const before = await snapshot(db);
		const err = await runImport(db, null, { layer: 'areas', fileName: 'a.geojson', bytes: areas(), crs: 'wgs84', replaceDemo: true }, { commit: true }).catch((e) => e);
		expect(err.message).toMatch(/请先为至少一个管理员设置密码/);
		expect(await snapshot(db)).toEqual(before);
	});

	it('is refused for any layer but areas', async () => {
		const err = await runImport(getDb(), null, { layer: 'grids', fileName: 'g.geojson', bytes: areas(), crs: 'wgs84', replaceDemo: true }, { commit: true }).catch((e) => e);
		expect(err.message).toMatch(/只适用于行政区划图层/);
	});

	it('removes the demo district whole, loads the new areas, and closes demo sign-in', async () => {
		const db = getDb();
		await db.exec(`INSERT INTO users (username, display_name, role, password_hash) VALUES ('replace_admin', '替换管理员', 'admin', 'x:y') ON CONFLICT (username) DO UPDATE SET password_hash = 'x:y'`);
		const preview = await runImport(db, null, { layer: 'areas', fileName: 'a.geojson', bytes: areas(), crs: 'wgs84', replaceDemo: true }, { commit: false });
		expect(preview.errors).toEqual([]); // the codes the demo holds do not count as taken
		expect((await db.sql`SELECT count(*)::int AS n FROM households`)[0].n).toBe(3); // a preview removes nothing
		const r = await runImport(db, null, { layer: 'areas', fileName: 'a.geojson', bytes: areas(), crs: 'wgs84', replaceDemo: true }, { commit: true });
		expect(r.committed).toBe(true);
		const counts = await db.query(`SELECT (SELECT count(*)::int FROM areas) AS areas, (SELECT count(*)::int FROM grids) AS grids, (SELECT count(*)::int FROM households) AS households,
			(SELECT count(*)::int FROM requests) AS requests, (SELECT count(*)::int FROM request_events) AS events,
			(SELECT count(*)::int FROM basemap_features WHERE kind = 'land') AS land,
			(SELECT (value->>'synthetic')::boolean FROM app_meta WHERE key = 'seed') AS synthetic,
			(SELECT mode FROM import_jobs ORDER BY id DESC LIMIT 1) AS mode`);
		expect(counts[0]).toEqual({ areas: 3, grids: 0, households: 0, requests: 0, events: 0, land: 1, synthetic: false, mode: 'replace_demo' });
	});

	it('is refused once the data are real', async () => {
		const err = await runImport(getDb(), null, { layer: 'areas', fileName: 'a.geojson', bytes: areas(), crs: 'wgs84', replaceDemo: true }, { commit: true }).catch((e) => e);
		expect(err.message).toMatch(/不是演示辖区.*真实数据不会被删除/);
	});
});
