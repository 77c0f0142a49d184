// Issue 13, item 5: the app serves as a role that owns nothing. A database of its own with two
// login roles, as a DBA would make them (README "数据库角色"): the owner migrates and seeds through
// DATABASE_OWNER_URL, then the app serves on DATABASE_URL. PostgreSQL only: PGlite has one role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { openForServing } from '../../src/lib/server/db/connect';
import type { Db } from '../../src/lib/server/db/client';
import { asUser } from '../../src/lib/server/access/userdb';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { demoSignIn, signIn } from '../../src/lib/server/auth/signin';
import { hashPassword } from '../../src/lib/server/auth/password';
import { userFromToken } from '../../src/lib/server/auth/session';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { changeUser, createUser, listUsers, parseNewUser } from '../../src/lib/server/access/users';
import { hit } from '../../src/lib/server/access/limits';
import { createApiKey, userFromApiKey } from '../../src/lib/server/open311/keys';
import { runImport } from '../../src/lib/server/import/run';
import { LiveHub } from '../../src/lib/server/live/hub';
import { ensureDemoDistrict } from '../../db/seed/ensure';
import { createTestDatabase, dropTestDatabase, TEST_DATABASE_URL, withDatabase } from './helpers/backends';

describe.skipIf(!TEST_DATABASE_URL)('serving without the owner (postgres)', () => {
	let database = '';
	let ownerRole = '';
	let servingRole = '';
	let admin: postgres.Sql;
	let db: Db;
	let seeded = 0;

	const url = (role: string, password: string) => {
		const u = new URL(withDatabase(TEST_DATABASE_URL!, database));
		u.username = role;
		u.password = password;
		return u.toString();
	};

	beforeAll(async () => {
		database = await createTestDatabase(TEST_DATABASE_URL!);
		const suffix = database.replace(/^gridtest_/, '');
		ownerRole = `grid_owner_${suffix}`;
		servingRole = `grid_server_${suffix}`;
		admin = postgres(withDatabase(TEST_DATABASE_URL!, database), { max: 1, onnotice: () => {} });
		// what README asks of a DBA: an owner that may create grid_app, a plain login role to serve with
		await admin.unsafe(`CREATE ROLE ${ownerRole} LOGIN PASSWORD 'owner-pw-1' CREATEROLE`);
		await admin.unsafe(`CREATE ROLE ${servingRole} LOGIN PASSWORD 'serve-pw-1' NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB`);
		await admin.unsafe(`ALTER DATABASE ${database} OWNER TO ${ownerRole}`);
		const opened = await openForServing(
			{ DATABASE_URL: url(servingRole, 'serve-pw-1'), DATABASE_OWNER_URL: url(ownerRole, 'owner-pw-1') },
			() => {},
			async (owner, progress) => {
				await ensureDemoDistrict(owner, progress, { households: 3000, seed: 7 });
				seeded = (await owner.sql<{ n: number }>`SELECT count(*) AS n FROM households`)[0].n;
			}
		);
		db = opened.db;
		await opened.seeding;
	}, 300_000);

	afterAll(async () => {
		await db?.close();
		await admin?.end({ timeout: 5 });
		if (database) await dropTestDatabase(TEST_DATABASE_URL!, database);
		const root = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
		try {
			for (const role of [servingRole, ownerRole]) if (role) await root.unsafe(`DROP ROLE IF EXISTS ${role}`);
		} finally {
			await root.end({ timeout: 5 });
		}
	});

	/** A statement in a user's transaction that should fail; resolves to the error's message. */
	const refused = (userId: number | null, ...statements: string[]) =>
		asUser(db, userId == null ? null : { id: userId, role: 'grid_manager' })
			.transaction(async (tx) => {
				for (const s of statements) await tx.query(s);
				return 'no error';
			})
			.catch((e: Error) => e.message);

	it('seeded as the owner, serves as a role that is neither superuser nor BYPASSRLS nor the owner', async () => {
		expect(seeded).toBe(3000);
		const [me] = await db.sql`SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`;
		expect(me).toEqual({ name: servingRole, rolsuper: false, rolbypassrls: false });
		const [owns] = await db.sql`SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')`;
		expect(owns.n).toBe(0);
		// the server's own reads still work: every household, no personal column
		const [h] = await db.sql`SELECT count(*) AS n FROM households`;
		expect(h.n).toBe(3000);
		await expect(db.sql`SELECT phone FROM households LIMIT 1`).rejects.toThrow(/permission denied/);
	});

	it("an injected set_config('role', 'none', true) reaches no owner privilege", async () => {
		const [u] = await admin`SELECT id FROM users WHERE role = 'grid_manager' ORDER BY id LIMIT 1`;
		const escape = "SELECT set_config('role', 'none', true)";
		expect(await refused(u.id, escape, 'SELECT password_hash FROM users LIMIT 1')).toMatch(/permission denied/);
		expect(await refused(u.id, escape, 'SELECT token_hash FROM sessions LIMIT 1')).toMatch(/permission denied/);
		expect(await refused(u.id, escape, 'SELECT secret FROM auth_secret')).toMatch(/permission denied/);
		expect(await refused(u.id, escape, `SET ROLE ${ownerRole}`)).toMatch(/permission denied/);
		expect(await refused(u.id, escape, "SELECT set_config('role', '" + ownerRole + "', true)")).toMatch(/permission denied/);
		expect(await refused(u.id, escape, "INSERT INTO user_grids (user_id, grid_code) SELECT " + u.id + ", code FROM grids")).toMatch(/row-level security/);
		expect(await refused(u.id, escape, "INSERT INTO api_keys (key_hash, name, user_id) VALUES ('x', 'forged', " + u.id + ')')).toMatch(/row-level security/);
		expect(await refused(u.id, escape, 'TRUNCATE visits CASCADE')).toMatch(/permission denied/);
		// an UPDATE under row-level security finds no row to change
		const before = await admin`SELECT count(*)::int AS n FROM user_grids`;
		const changed = await asUser(db, { id: u.id, role: 'grid_manager' }).transaction(async (tx) => {
			await tx.query(escape);
			return (await tx.query("UPDATE user_grids SET grid_code = grid_code RETURNING 1")).length;
		});
		expect(changed).toBe(0);
		expect(await admin`SELECT count(*)::int AS n FROM user_grids`).toEqual(before);
		// and the session role itself is the serving role
		const [who] = await asUser(db, null).transaction(async (tx) => {
			await tx.query(escape);
			return tx.query('SELECT current_user AS name');
		});
		expect(who.name).toBe(servingRole);
	});

	it('every table the serving role can read or write has row-level security', async () => {
		const exposed = await db.sql<{ table: string; write: boolean }>`
			SELECT c.relname AS table,
			       has_table_privilege(current_user, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
			         OR has_any_column_privilege(current_user, c.oid, 'INSERT, UPDATE') AS write
			  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity
			   AND (has_table_privilege(current_user, c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
			        OR has_any_column_privilege(current_user, c.oid, 'SELECT, INSERT, UPDATE'))
			 ORDER BY 1`;
		// PostGIS's list of coordinate systems (owned by the extension's owner): readable, not writable
		expect(exposed).toEqual([{ table: 'spatial_ref_sys', write: false }]);
		const [all] = await db.sql`SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity`;
		expect(all.n).toBeGreaterThan(25);
	});

	it('a forged app.user_id stays inside what that user could do, and leaves the audit trail', async () => {
		const [a] = await admin`SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1`;
		const [gm] = await admin`SELECT id FROM users WHERE role = 'grid_manager' ORDER BY id LIMIT 1`;
		const [hh] = await admin`SELECT id FROM households ORDER BY id LIMIT 1`;
		const forge = `SELECT set_config('app.user_id', '${a.id}', true)`;
		// no hashes, no secrets, no other role, even as an admin
		expect(await refused(gm.id, forge, 'SELECT password_hash FROM users LIMIT 1')).toMatch(/permission denied/);
		expect(await refused(gm.id, forge, 'SELECT key_hash FROM api_keys LIMIT 1')).toMatch(/permission denied/);
		expect(await refused(gm.id, forge, `SET ROLE ${ownerRole}`)).toMatch(/permission denied/);
		// no session without the password: auth_sign_in compares the hash of what was typed
		const [{ username }] = await admin`SELECT username FROM users WHERE id = ${a.id}`;
		const minted = await asUser(db, { id: gm.id, role: 'grid_manager' }).transaction(async (tx) => {
			await tx.query(forge);
			return tx.sql`SELECT outcome FROM auth_sign_in(${username}, 'guess', null, 'forged-token', null, 10, 15, 12, 30, 2160)`;
		});
		expect(minted).toEqual([{ outcome: 'bad_credentials' }]);
		// what the forged identity unmasks is in the audit log under that identity (README: remaining risk)
		const logged = await asUser(db, { id: gm.id, role: 'grid_manager' }).transaction(async (tx) => {
			await tx.query(forge);
			await tx.sql`SELECT * FROM pii_unmask_household(${hh.id}, '核实')`;
			return tx.sql`SELECT user_id FROM audit_log WHERE action = 'unmask' AND subject = ${'household:' + hh.id} ORDER BY id DESC LIMIT 1`;
		});
		expect(logged).toEqual([{ user_id: a.id }]);
	});

	it('signs in through the serving role, and afterwards holds connections only as that role', async () => {
		const [u] = await admin`SELECT id, username FROM users WHERE role = 'leader' ORDER BY id LIMIT 1`;
		await admin`UPDATE users SET password_hash = ${await hashPassword('Serving-role-1')}, locked_until = NULL, failed_logins = 0 WHERE id = ${u.id}`;
		const ok = await signIn(db, u.username, 'Serving-role-1', '198.51.100.7', async () => {});
		expect(ok).toMatchObject({ ok: true, user: { id: u.id } });
		expect(await userFromToken(db, ok.ok ? ok.token : '')).toMatchObject({ id: u.id });
		// open several pooled connections and a LISTEN, as the live feed does
		const unlisten = await db.listen('live', () => {});
		await Promise.all(Array.from({ length: 6 }, () => db.sql`SELECT pg_sleep(0.05)`));
		const roles = await admin`SELECT usename, count(*)::int AS n FROM pg_stat_activity
			WHERE datname = ${database} AND pid <> pg_backend_pid() AND backend_type = 'client backend' -- not autovacuum's
			GROUP BY usename ORDER BY usename`;
		console.log(`[privilege] app connections after start-up, by role: ${roles.map((r) => `${r.usename} × ${r.n}`).join(', ')}`);
		expect(roles.map((r) => r.usename)).toEqual([servingRole]);
		expect(roles[0].n).toBeGreaterThanOrEqual(2);
		await unlisten();
	});

	it("the server's and admins' own work runs as the serving role: accounts, API keys, demo sign-in, limits, the live feed, replacing the demo district", async () => {
		const [a] = await admin`SELECT id, username, display_name, role FROM users WHERE role = 'admin' AND password_hash IS NOT NULL ORDER BY id LIMIT 1`;
		const me: SessionUser = { id: a.id, username: a.username, displayName: a.display_name, role: 'admin', departmentId: null, title: null };
		const [grid] = await admin`SELECT code FROM grids ORDER BY code LIMIT 1`;
		const asAdmin = asUser(db, me);
		const username = 'gm_' + database.slice(-6);
		const id = await createUser(asAdmin, me, parseNewUser({ username, displayName: '王伟', role: 'grid_manager', grids: grid.code, password: 'Grid-manager-1' }));
		expect(await signIn(db, username, 'Grid-manager-1', null, async () => {})).toMatchObject({ ok: true, user: { id } });
		const listed = await listUsers(asAdmin, { role: 'grid_manager', text: username, limit: 5 });
		expect(listed).toMatchObject([{ username, hasPassword: true, locked: false, grids: 1 }]);
		await admin`UPDATE users SET locked_until = now() + interval '1 hour' WHERE id = ${id}`;
		await changeUser(asAdmin, me, id, { op: 'unlock' });
		expect((await admin`SELECT locked_until FROM users WHERE id = ${id}`)[0].locked_until).toBeNull();
		// a non-admin cannot do the same through the same functions
		await expect(changeUser(asUser(db, { id, role: 'grid_manager' }), { ...me, id }, a.id, { op: 'deactivate' })).rejects.toThrow(/只有管理员/);
		expect((await admin`SELECT active FROM users WHERE id = ${a.id}`)[0].active).toBe(true);

		const key = await createApiKey(asAdmin, id, 'QGIS 测试');
		expect(await userFromApiKey(db, key.key)).toMatchObject({ id, username });

		const demo = await demoSignIn(db, username, '203.0.113.40');
		expect(demo).toMatchObject({ ok: true, user: { id } });
		expect((await hit(db, { name: 'priv', limit: 1, windowMs: 60_000 }, 'x')).ok).toBe(true);
		expect((await hit(db, { name: 'priv', limit: 1, windowMs: 60_000 }, 'x')).ok).toBe(false);

		const hub = new LiveHub(db, { keepHours: 1 });
		await hub.start();
		// a write by a user reaches the feed: the trigger publishes as the owner (live_publish is a definer)
		const seen: unknown[] = [];
		const stopSeeing = hub.subscribe((e) => seen.push(e));
		// a legal change of status (0020 refuses any other)
		const [hz] = await admin`SELECT id, status FROM hazards WHERE status <> 'verified' ORDER BY id LIMIT 1`;
		const next: Record<string, string> = { open: 'rectifying', rectifying: 'rectified', rectified: 'verified' };
		await asAdmin.sql`UPDATE hazards SET status = ${next[hz.status]} WHERE id = ${hz.id}`;
		for (let i = 0; i < 50 && !seen.length; i++) await new Promise((r) => setTimeout(r, 20));
		expect(seen).toMatchObject([{ kind: 'hazard', hid: hz.id }]);
		stopSeeing();
		await (hub as unknown as { prune(): Promise<void> }).prune();
		await hub.stop();
		await expect(db.sql`DELETE FROM live_events`).rejects.toThrow(/permission denied/);

		await expect(asUser(db, { id, role: 'grid_manager' }).sql`SELECT import_remove_demo()`).rejects.toThrow(/需要管理员/);
		const bytes = new Uint8Array(readFileSync(path.resolve('tests/fixtures/import/good/areas.geojson')));
		const report = await runImport(asAdmin, me, { layer: 'areas', fileName: 'areas.geojson', bytes, crs: 'wgs84', replaceDemo: true }, { commit: true });
		expect(report.committed).toBe(true);
		const [after] = await admin`SELECT (SELECT count(*)::int FROM households) AS households, (SELECT (value->>'synthetic')::boolean FROM app_meta WHERE key = 'seed') AS synthetic`;
		expect(after).toEqual({ households: 0, synthetic: false });
		const [job] = await admin`SELECT user_id, mode FROM import_jobs ORDER BY id DESC LIMIT 1`;
		expect(job).toEqual({ user_id: a.id, mode: 'replace_demo' });
	});
});
