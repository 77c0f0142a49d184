// migrate() and the schema of db/migrations on both back ends.
import { expect, it } from 'vitest';
import { migrate, readMigrations, schemaLevel, SchemaNewerError } from '../../src/lib/server/db/migrate';
import { describeBackends, freshDatabases, unique } from './helpers/backends';
import { ensurePlace } from './helpers/fixtures';

const TABLES = [
	'app_meta', 'areas', 'departments', 'users', 'grids', 'buildings', 'households', 'door_knocks',
	'hazards', 'categories', 'deadline_rules', 'requests', 'request_events', 'whistle_summons',
	'leader_pairings', 'user_grids', 'research_plans', 'research_plan_sites', 'visits', 'visit_stops',
	'audit_log', 'login_attempts', 'basemap_features', 'schema_migrations'
];

const GIST_TABLES = ['areas', 'grids', 'households', 'hazards', 'requests'];

// these cases check migrate() itself: empty databases, no migrated dump or template
freshDatabases();

describeBackends('migrate', (getDb, backend) => {
	it('applied every migration to the empty database, in order', async () => {
		const versions = readMigrations().map((m) => m.version);
		expect(versions.length).toBeGreaterThan(0);
		expect(backend.applied).toEqual(versions);
		const rows = await getDb().sql`SELECT version FROM schema_migrations ORDER BY version`;
		expect(rows.map((r) => r.version)).toEqual(versions);
	});

	it('is idempotent: a second run applies nothing and changes nothing', async () => {
		const db = getDb();
		const before = await db.sql`SELECT version, applied_at FROM schema_migrations ORDER BY version`;
		expect(await migrate(db)).toEqual([]);
		expect(await db.sql`SELECT version, applied_at FROM schema_migrations ORDER BY version`).toEqual(before);
	});

	it('creates the domain tables', async () => {
		const rows = await getDb().sql`SELECT table_name FROM information_schema.tables
			WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
		const names = rows.map((r) => r.table_name);
		for (const table of TABLES) expect(names, table).toContain(table);
	});

	it('has PostGIS and EPSG:4326 geometry columns', async () => {
		const db = getDb();
		const [v] = await db.sql`SELECT postgis_lib_version() AS version`;
		expect(v.version).toMatch(/^3\./);
		const rows = await db.sql`SELECT f_table_name AS t, srid, type FROM geometry_columns
			WHERE f_table_schema = 'public' AND f_geometry_column = 'geom' ORDER BY f_table_name`;
		for (const table of GIST_TABLES) expect(rows.find((r) => r.t === table), table).toMatchObject({ srid: 4326 });
		expect(rows.find((r) => r.t === 'households')).toMatchObject({ type: 'POINT' });
		expect(rows.find((r) => r.t === 'areas')).toMatchObject({ type: 'MULTIPOLYGON' });
	});

	it('indexes geometry with GiST on areas, grids, households, hazards and requests', async () => {
		const rows = await getDb().sql`SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'`;
		for (const table of GIST_TABLES) {
			const defs = rows.filter((r) => r.tablename === table).map((r) => r.indexdef as string);
			expect(defs.some((d) => /USING gist \(geom\)/i.test(d)), `${table}: ${defs.join('; ')}`).toBe(true);
		}
	});

	it('keeps request_events append-only: UPDATE and DELETE raise', async () => {
		const db = getDb();
		const place = await ensurePlace(db);
		await db.sql`INSERT INTO categories (code, name) VALUES ('test', '测试') ON CONFLICT (code) DO NOTHING`;
		const code = unique('R');
		const [request] = await db.sql<{ id: number }>`INSERT INTO requests
				(code, category_code, channel, status, title, grid_code, reported_at, geom)
			VALUES (${code}, 'test', 'grid', 'reported', '路灯不亮', ${place.grid}, now(), 'SRID=4326;POINT(112.905 28.205)')
			RETURNING id`;
		const [event] = await db.sql<{ id: number }>`INSERT INTO request_events (request_id, to_status, action, at)
			VALUES (${request.id}, 'reported', 'report', now()) RETURNING id`;
		await expect(db.sql`UPDATE request_events SET reason = 'changed' WHERE id = ${event.id}`).rejects.toThrow(
			/append-only \(UPDATE refused\)/
		);
		await expect(db.sql`DELETE FROM request_events WHERE id = ${event.id}`).rejects.toThrow(/append-only \(DELETE refused\)/);
		expect(await db.sql`SELECT reason, to_status FROM request_events WHERE id = ${event.id}`).toEqual([
			{ reason: null, to_status: 'reported' }
		]);
	});

	it('applies a new migration alone, and a failing one not at all', async () => {
		const db = getDb();
		const [good, bad] = [`9990_${unique('good')}`, `9991_${unique('bad')}`];
		const [goodTable, badTable] = [unique('mig_'), unique('mig_')];
		try {
			const applied = await migrate(db, [
				...readMigrations(),
				{ version: good, sql: `-- a comment; with a semicolon\nCREATE TABLE ${goodTable} (s text DEFAULT 'a;b');\nINSERT INTO ${goodTable} DEFAULT VALUES;` }
			]);
			expect(applied).toEqual([good]);
			expect(await db.query(`SELECT s FROM ${goodTable}`)).toEqual([{ s: 'a;b' }]);

			await expect(
				migrate(db, [{ version: bad, sql: `CREATE TABLE ${badTable} (n int);\nSELECT no_such_function();` }])
			).rejects.toThrow(/no_such_function/);
			expect(await db.sql`SELECT to_regclass(${badTable}) AS t`).toEqual([{ t: null }]);
			expect(await db.sql`SELECT version FROM schema_migrations WHERE version = ${bad}`).toEqual([]);
		} finally {
			await db.exec(`DROP TABLE IF EXISTS ${goodTable}; DROP TABLE IF EXISTS ${badTable}`);
			await db.sql`DELETE FROM schema_migrations WHERE version IN (${good}, ${bad})`;
		}
	});

	it('refuses a database migrated by a newer release (the program rolled back alone), naming both levels, and applies nothing', async () => {
		const db = getDb();
		const code = readMigrations();
		const latest = code.at(-1)!.version;
		expect(await schemaLevel(db)).toBe(latest);
		const future = `9999_${unique('future')}`;
		await db.sql`INSERT INTO schema_migrations (version) VALUES (${future})`;
		try {
			const table = unique('mig_');
			const next = { version: `${String(Number(latest.slice(0, 4)) + 1).padStart(4, '0')}_${unique('next')}`, sql: `CREATE TABLE ${table} (n int)` };
			const refusal = migrate(db, [...code, next]);
			await expect(refusal).rejects.toBeInstanceOf(SchemaNewerError);
			await expect(migrate(db, [...code, next])).rejects.toThrow(`数据库结构版本 ${future} 比本程序支持的 ${next.version} 新`);
			expect(await db.sql`SELECT to_regclass(${table}) AS t`, 'nothing applied').toEqual([{ t: null }]);
		} finally {
			await db.sql`DELETE FROM schema_migrations WHERE version = ${future}`;
		}
		expect(await migrate(db)).toEqual([]);
	});
});
