// Seeds the demo district into an empty database (first start) and leaves a seeded one alone.
// A seed interrupted half-way (power cut, Ctrl-C) is detected by the missing 'seed' marker and
// redone from scratch, so a half-written district never stays.
import type { Db } from '../../src/lib/server/db/client';
import { generateDistrict, type DemoDistrict, type SeedOptions } from './generate';
import { loadSteps } from './load';
import { seedCampaigns } from './campaigns';
import { hashPassword } from '../../src/lib/server/auth/password';
import { isSeeded, type OnProgress } from '../../src/lib/server/db/seeding';
export { isSeeded, type OnProgress, type SeedProgress } from '../../src/lib/server/db/seeding';


/** The demo district's sign-in password for the accounts of DEMO_PASSWORD_USERS (README). */
export const DEMO_PASSWORD = 'Demo-2026-grid';
/** One account per role (and a street leader) that can sign in with DEMO_PASSWORD; the rest use 演示登录. */
const DEMO_PASSWORD_USERS = `SELECT id, username FROM users WHERE username IN ('admin', 'dispatcher', 'screen', 'leader1', 'leader_street', 'mediator1')
	OR id = (SELECT min(id) FROM users WHERE role = 'grid_manager') OR id = (SELECT min(id) FROM users WHERE role = 'department_staff')`;

async function setDemoPasswords(db: Db): Promise<void> {
	for (const u of await db.query<{ id: number; username: string }>(DEMO_PASSWORD_USERS)) {
		await db.sql`UPDATE users SET password_hash = ${await hashPassword(DEMO_PASSWORD)} WHERE id = ${u.id}`;
	}
}

/** Tables the seed fills, children first. */
const DATA_TABLES = [
	'audit_log', 'login_attempts', 'sessions', 'campaign_checks', 'campaigns', 'whistle_summons', 'request_events', 'requests', 'visit_stops', 'visits', 'research_plan_sites',
	'research_plans', 'care_visits', 'care_frequencies', 'door_knocks', 'hazards', 'households', 'buildings', 'user_grids', 'leader_pairings', 'grids',
	'deadline_rules', 'categories', 'users', 'departments', 'areas', 'basemap_features'
];

/** Seed options from the environment: SEED, SEED_HOUSEHOLDS, SEED_REQUESTS, SEED_HAZARDS. */
export function seedOptionsFromEnv(env: Record<string, string | undefined> = process.env): Partial<SeedOptions> {
	const num = (name: string) => {
		const raw = env[name];
		if (raw === undefined || raw === '') return undefined;
		const n = Number(raw);
		if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
		return n;
	};
	return Object.fromEntries(
		Object.entries({ seed: num('SEED'), households: num('SEED_HOUSEHOLDS'), requests: num('SEED_REQUESTS'), hazards: num('SEED_HAZARDS') }).filter(([, v]) => v !== undefined)
	);
}

export async function ensureDemoDistrict(db: Db, onProgress: OnProgress = () => {}, options = seedOptionsFromEnv()): Promise<boolean> {
	if (await isSeeded(db)) return false;
	await seedDemoDistrict(db, options, onProgress);
	return true;
}

export async function seedDemoDistrict(db: Db, options: Partial<SeedOptions>, onProgress: OnProgress = () => {}) {
	const started = Date.now();
	onProgress({ phase: 'generating', done: 0, total: 1, message: '正在生成演示区县（虚构数据）…' });
	await new Promise((r) => setTimeout(r, 0)); // let the progress page render before the CPU-bound part
	const district = generateDistrict(options);
	return loadDemoDistrict(db, district, onProgress, started);
}

/** Writes an already generated district (the benchmark generates once and loads it into several databases). */
export async function loadDemoDistrict(db: Db, district: DemoDistrict, onProgress: OnProgress = () => {}, started = Date.now()) {
	const generatedMs = Date.now() - started;
	// the marker goes first and comes back last: a reseed cut short reads as "not seeded"
	// audit_log refuses TRUNCATE to everyone; a demo reseed is the one case where the owner lifts that
	await db.exec(`DELETE FROM app_meta WHERE key = 'seed'; DROP TABLE IF EXISTS seed_grids; DROP TABLE IF EXISTS seed_areas;
		ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate;
		TRUNCATE ${DATA_TABLES.join(', ')} RESTART IDENTITY CASCADE;
		ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate`);
	const steps: ReturnType<typeof loadSteps> = [...loadSteps(db, district), ['专项行动', () => seedCampaigns(db, district.options.now)]];
	await withBulkLoad(db, async () => {
		for (const [i, [message, run]] of steps.entries()) {
			onProgress({ phase: 'loading', done: i, total: steps.length, message: `正在写入：${message}` });
			await run();
		}
		onProgress({ phase: 'loading', done: steps.length, total: steps.length, message: '正在建立索引…' });
	});
	onProgress({ phase: 'loading', done: steps.length, total: steps.length, message: '正在设置演示账号密码…' });
	await setDemoPasswords(db);
	// PGlite loads with triggers off (withBulkLoad): move the map's data versions on by hand, and
	// count the KPI rollups (0021) once over the loaded rows
	await db.exec(`SELECT nextval('data_version_households'), nextval('data_version_hazards'), nextval('data_version_requests'), nextval('data_version_buildings'), nextval('data_version_knocks_past'), nextval('data_version_kpi')`);
	await db.exec('SELECT kpi_rollups_rebuild()');
	const counts = await rowCounts(db);
	const o = district.options;
	await db.sql`INSERT INTO app_meta (key, value) VALUES ('seed', ${JSON.stringify({
		synthetic: true, seed: o.seed, households: o.households, now: o.now.toISOString(), months: o.months,
		generatedMs, totalMs: Date.now() - started, counts
	})}::jsonb)`;
	onProgress({ phase: 'loading', done: steps.length, total: steps.length, message: '完成' });
	return { counts, generatedMs, totalMs: Date.now() - started };
}

/** Tables whose secondary indexes are rebuilt after the load instead of maintained row by row. */
const BULK_TABLES = ['households', 'buildings', 'door_knocks', 'care_visits', 'requests', 'request_events', 'hazards'];

/**
 * Runs a bulk load with the big tables' secondary indexes dropped and rebuilt afterwards from their
 * own definitions (the migrations stay the source of truth). Building a GiST index once is several
 * times faster than growing it by 200 000 inserts.
 */
async function withBulkLoad(db: Db, load: () => Promise<void>) {
	const indexes = await db.query<{ name: string; def: string }>(
		`SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
		 WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
		   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, [BULK_TABLES]);
	for (const ix of indexes) await db.exec(`DROP INDEX ${ix.name}`);
	// PGlite is one session, so this reaches every COPY: skip the per-row foreign-key triggers for
	// data that is consistent by construction (the integration tests check the keys afterwards).
	// A PostgreSQL pool has many sessions, so there the big tables' foreign keys are dropped and
	// added back after the load: one validating join per key instead of a trigger per row (the
	// seed of 200 000 households spent 16 s of 44 s checking door_knocks → households row by row).
	const oneSession = db.kind === 'pglite';
	const foreignKeys = oneSession ? [] : await db.query<{ tbl: string; name: string; def: string }>(
		`SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
		 WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY($1)`, [BULK_TABLES]);
	for (const fk of foreignKeys) await db.exec(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT ${fk.name}`);
	if (oneSession) await db.exec('SET session_replication_role = replica');
	// the KPI rollups' triggers (0021): counted once after the load (loadDemoDistrict), not per chunk
	else await db.exec('SELECT kpi_triggers_enable(false)');
	try {
		await load();
	} finally {
		if (oneSession) await db.exec('SET session_replication_role = DEFAULT');
		else await db.exec('SELECT kpi_triggers_enable(true)');
		for (const ix of indexes) await db.exec(ix.def);
		for (const fk of foreignKeys) await db.exec(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT ${fk.name} ${fk.def}`);
	}
}

export async function rowCounts(db: Db): Promise<Record<string, number>> {
	const tables = ['areas', 'grids', 'buildings', 'households', 'door_knocks', 'care_visits', 'hazards', 'requests', 'request_events', 'whistle_summons', 'users', 'leader_pairings', 'visits', 'basemap_features'];
	const rows = await db.query<{ t: string; n: number }>(tables.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM ${t}`).join(' UNION ALL '));
	return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}
