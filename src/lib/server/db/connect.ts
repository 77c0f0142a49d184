// Opening the database for serving (issue 13, item 5). Two roles on PostgreSQL:
//
//   DATABASE_OWNER_URL  owns the tables: runs the migrations and the first seed, then its
//                       connection closes. Unset: DATABASE_URL does it (the old single-role setup).
//   DATABASE_URL        what the app serves with: a login role that is a member of grid_app and
//                       nothing else (no superuser, no BYPASSRLS, not the owner). Whatever role an
//                       injected statement switches back to, it has grid_app's rights only.
//
// The serving connections carry app.system_read = on (a startup parameter): the server's own reads
// for no user (hot-spot grid set, public OGC/Open311 collections, the live feed) see every row but
// no personal column; a user's transaction clears it (access/userdb.ts enterUser).
// PGlite keeps today's behaviour: one connection, the owner.
import path from 'node:path';
import { openPglite, openPostgres, type Db } from './client';
import { migrate, migrationStatus, type MigrationStatus } from './migrate';
import { LOCK_AFTER, LOCK_MINUTES } from '../auth/throttle';
import { APP_ROLE } from '../access/userdb';
import { seedIfEmpty, type OnProgress } from './seeding';
import { backupBeforeUpgrade } from '../backup/upgrade';

export interface Serving {
	/** the connection the app serves with */
	db: Db;
	/** the first seed, on the owner's connection (closed once it settles) */
	seeding: Promise<unknown>;
	/** the migration level once migrated, read as the owner */
	migrations: MigrationStatus;
}

export type Seeder = (owner: Db, onProgress: OnProgress) => Promise<unknown>;

/** DATABASE_URL with the startup parameter app.system_read=on (postgres.js sends URL parameters it does not know as such). */
export function systemReadUrl(url: string): string {
	const u = new URL(url);
	u.searchParams.set('app.system_read', 'on');
	return u.toString();
}

/**
 * Opens, migrates and starts seeding; returns the serving connection. The one call database.ts
 * makes. `seed` is the demo district by default (tests pass a small one).
 */
export async function openForServing(
	env: Record<string, string | undefined> = process.env,
	onProgress: OnProgress = () => {},
	seed: Seeder = seedIfEmpty,
	/** called once the database has answered, as the migrations start (readiness: 'migrating') */
	onMigrating: () => void = () => {}
): Promise<Serving> {
	const ownerUrl = env.DATABASE_OWNER_URL;
	if (!env.DATABASE_URL || !ownerUrl || ownerUrl === env.DATABASE_URL) {
		const db = env.DATABASE_URL ? await openPostgres(env.DATABASE_URL) : await openPglite(path.join(env.DATA_DIR ?? 'data', 'pglite'));
		let migrations: MigrationStatus;
		try {
			await db.sql`SELECT 1`;
			await backupBeforeUpgrade(db, env);
			onMigrating();
			await prepareAsOwner(db);
			migrations = await migrationStatus(db);
		} catch (e) {
			// database.ts tries again later with a new connection: this one must not linger
			await db.close().catch(() => {});
			throw e;
		}
		return { db, seeding: seed(db, onProgress), migrations };
	}
	const owner = await openPostgres(ownerUrl);
	let db: Db | null = null;
	let migrations: MigrationStatus;
	try {
		await owner.sql`SELECT 1`;
		await backupBeforeUpgrade(owner, env);
		onMigrating();
		await prepareAsOwner(owner);
		migrations = await migrationStatus(owner);
		db = await openPostgres(systemReadUrl(env.DATABASE_URL));
		await admitServingRole(owner, db);
	} catch (e) {
		await db?.close().catch(() => {});
		await owner.close().catch(() => {});
		throw e;
	}
	const seeding = (async () => {
		try {
			return await seed(owner, onProgress);
		} finally {
			await owner.close();
		}
	})();
	return { db, seeding, migrations };
}

/** Migrations, and the lock policy auth_sign_in may only tighten (0011), from auth/throttle.ts's constants. */
async function prepareAsOwner(owner: Db): Promise<void> {
	await migrate(owner);
	await owner.sql`INSERT INTO auth_policy (id, lock_after, lock_minutes) VALUES (1, ${LOCK_AFTER}, ${LOCK_MINUTES})
		ON CONFLICT (id) DO UPDATE SET lock_after = EXCLUDED.lock_after, lock_minutes = EXCLUDED.lock_minutes`;
}

/**
 * Makes the serving role a member of grid_app (once; the owner created grid_app in 0007) and refuses
 * to serve with a role that would undo the point: a superuser, BYPASSRLS, or one that can act as the
 * owner.
 */
async function admitServingRole(owner: Db, serving: Db): Promise<void> {
	const [me] = await serving.sql<{ name: string; super: boolean; bypass: boolean }>`
		SELECT current_user AS name, rolsuper AS super, rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`;
	const [o] = await owner.sql<{ name: string }>`SELECT current_user AS name`;
	const [ownerOf] = await serving.sql<{ yes: boolean }>`SELECT pg_has_role(current_user, ${o.name}, 'USAGE') AS yes`;
	if (me.super || me.bypass || ownerOf.yes) {
		throw new Error(`DATABASE_URL 的角色 ${me.name} 不能是超级用户、不能绕过行级安全（BYPASSRLS），也不能拥有 ${o.name} 的权限：请按 README“数据库角色”一节创建只属于 ${APP_ROLE} 的服务角色`);
	}
	const [member] = await serving.sql<{ yes: boolean }>`SELECT pg_has_role(current_user, ${APP_ROLE}, 'USAGE') AS yes`;
	if (member.yes) return;
	const [{ stmt }] = await owner.sql<{ stmt: string }>`SELECT format('GRANT %I TO %I', ${APP_ROLE}::text, ${me.name}::text) AS stmt`;
	try {
		await owner.exec(stmt);
	} catch (e) {
		throw new Error(`无法把 ${APP_ROLE} 授予服务角色 ${me.name}（${(e as Error).message}）：请数据库管理员执行 GRANT ${APP_ROLE} TO ${me.name}`, { cause: e });
	}
}
