// Backups that restore (issue 21): on each back end, a backup is taken while transactions keep
// writing, restored somewhere else, and every table of the catalogue is compared — row count and an
// md5 of its rows — with the source as it was at the backup's snapshot (read inside the snapshot:
// PGlite's pause, PostgreSQL's exported snapshot). Each write transaction inserts a pair of rows and
// moves a counter; the restore holds whole transactions only. Also: the server's control socket,
// the refusals of restore, and the backup an upgrade takes first.
//
// Not describeBackends: a PGlite backup copies a data directory, so the source is a PGlite in a
// temporary folder, not the shared in-memory one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite, openPostgres, type Db } from '../../src/lib/server/db/client';
import { migrate, readMigrations } from '../../src/lib/server/db/migrate';
import { ensureDemoDistrict } from '../../db/seed/ensure';
import { tableChecksums, type TableSum } from '../../src/lib/server/backup/checksums';
import { listBackups, readManifest } from '../../src/lib/server/backup/files';
import { takeBackup } from '../../src/lib/server/backup/take';
import { restoreBackup } from '../../src/lib/server/backup/restore';
import { listenForBackups, ping, request } from '../../src/lib/server/backup/control';
import { backupBeforeUpgrade, UpgradeBackupError } from '../../src/lib/server/backup/upgrade';
import { ensurePlace } from './helpers/fixtures';
import { createTestDatabase, dropTestDatabase, TEST_DATABASE_URL, withDatabase } from './helpers/backends';

type Env = Record<string, string | undefined>;

const DISTRICT = '430104';

/**
 * Writes until stopped: each transaction adds a street and its community (a pair) and moves the
 * district's counter to the number of pairs, with a pause in the middle so that a snapshot can
 * fall inside a transaction. Resolves to the number of transactions committed.
 */
function writeLoop(db: Db) {
	let stop = false;
	let committed = 0;
	let failure: unknown = null;
	const done = (async () => {
		for (let k = 100; !stop && k < 999; k++) {
			const street = `${DISTRICT}${k}`;
			await db.transaction(async (tx) => {
				await tx.sql`INSERT INTO areas (code, level, name, parent_code, setting, geom, label_point)
					SELECT ${street}, 'street', ${'街道' + k}, code, setting, geom, label_point FROM areas WHERE code = ${DISTRICT}`;
				await new Promise((r) => setTimeout(r, 3));
				await tx.sql`INSERT INTO areas (code, level, name, parent_code, setting, geom, label_point)
					SELECT ${street + '001'}, 'community', ${'社区' + k}, ${street}, setting, geom, label_point FROM areas WHERE code = ${DISTRICT}`;
				await tx.sql`UPDATE areas SET name = ${'计数' + (k - 99)} WHERE code = ${DISTRICT}`;
			});
			committed++;
			// a steady trickle, not a flood: the codes run out at 899 pairs
			await new Promise((r) => setTimeout(r, 25));
		}
		return committed;
	})().catch((e) => {
		failure = e;
		throw e;
	});
	return {
		get committed() {
			if (failure) throw failure;
			return committed;
		},
		stop: () => ((stop = true), done)
	};
}

async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** The pairs in a database: streets and communities written by writeLoop, and the counter. */
async function pairs(db: Db) {
	const [row] = await db.sql<{ streets: number; communities: number; counter: string }>`
		SELECT (SELECT count(*)::int FROM areas WHERE level = 'street' AND parent_code = ${DISTRICT} AND code <> ${DISTRICT + '001'}) AS streets,
		       (SELECT count(*)::int FROM areas WHERE level = 'community' AND parent_code LIKE ${DISTRICT + '%'} AND parent_code <> ${DISTRICT + '001'}) AS communities,
		       (SELECT name FROM areas WHERE code = ${DISTRICT}) AS counter`;
	return row;
}

/** RLS switched on, the policies and the grants (table and column), per table: what a restore must keep besides the rows. */
async function security(db: Db) {
	return db.sql<{ t: string; rls: boolean; policies: number; acl: string | null; columns: string | null }>`
		SELECT c.relname AS t, c.relrowsecurity AS rls, (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
		       -- the owner's own rights aside: an explicit owner-only ACL and the default (null) are the same
		       (SELECT string_agg(g.grantee::regrole::text || ':' || g.privilege_type, ',' ORDER BY g.grantee::regrole::text, g.privilege_type)
		        FROM aclexplode(c.relacl) g WHERE g.grantee <> c.relowner) AS acl,
		       (SELECT string_agg(a.attname || '=' || a.attacl::text, ',' ORDER BY a.attnum) FROM pg_attribute a
		        WHERE a.attrelid = c.oid AND a.attacl IS NOT NULL) AS columns
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`;
}

interface Source {
	db: Db;
	env: Env;
	/** opens the restored copy in `env` */
	openRestored: (env: Env) => Promise<Db>;
	/** an env to restore into (an empty place) */
	target: () => Promise<Env>;
}

function cases(kind: 'pglite' | 'postgres', setup: () => Promise<Source>, teardown: () => Promise<void>) {
	let src: Source;
	let restoredInto: Env | undefined;
	const dirs: string[] = [];
	const tmp = (name: string) => {
		const d = mkdtempSync(path.join(os.tmpdir(), `gridbackup-${name}-`));
		dirs.push(d);
		return d;
	};
	beforeAll(async () => {
		src = await setup();
		mkdirSync(path.join(src.env.DATA_DIR!, 'photos'), { recursive: true });
		writeFileSync(path.join(src.env.DATA_DIR!, 'photos', 'p1.jpg'), 'not really a jpeg');
	}, 300_000);
	afterAll(async () => {
		await teardown();
		for (const d of dirs) rmSync(d, { recursive: true, force: true });
	});

	it('a backup taken while transactions write restores to identical tables, whole transactions only', async () => {
		const loop = writeLoop(src.db);
		let atSnapshot: TableSum[] = [];
		let atSnapshotPairs: Awaited<ReturnType<typeof pairs>> | undefined;
		let during: number | undefined;
		try {
			await until(() => loop.committed >= 5, 'the first writes');
			const before = loop.committed;
			const result = await takeBackup({
				reason: 'manual',
				env: src.env,
				pglite: kind === 'pglite' ? src.db : undefined,
				atSnapshot: async (tx) => {
					atSnapshot = await tableChecksums(tx);
					const [areas] = atSnapshot.filter((t) => t.table === 'public.areas');
					expect(areas.rows).toBeGreaterThan(0);
				}
			});
			during = loop.committed - before;
			expect(result.manifest.kind).toBe(kind);
			expect(result.manifest.level).toBe(readMigrations().at(-1)!.version);
			expect(path.basename(result.file)).toMatch(new RegExp(`^grid-\\d{8}-\\d{6}-${kind}-${result.manifest.level}-manual\\.tar\\.gz$`));
		} finally {
			await loop.stop();
		}
		const file = (await listBackups(src.env.BACKUP_DIR!)).at(-1)!.path;
		const target = await src.target();
		await restoreBackup(file, { env: target });
		restoredInto = target;
		const restored = await src.openRestored(target);
		try {
			const after = await tableChecksums(restored);
			// every table of the catalogue, and more than a handful (the seed filled them)
			expect(after.map((t) => t.table)).toEqual(atSnapshot.map((t) => t.table));
			expect(after.filter((t) => t.rows > 0).length).toBeGreaterThan(10);
			for (let i = 0; i < after.length; i++) expect(after[i], after[i].table).toEqual(atSnapshot[i]);
			// whole transactions: as many communities as streets, and the counter says how many
			const p = await pairs(restored);
			atSnapshotPairs = p;
			expect(p.streets).toBeGreaterThanOrEqual(5);
			expect(p.communities).toBe(p.streets);
			expect(p.counter).toBe(`计数${p.streets}`);
			// the source went on writing after the snapshot: the restore is the snapshot, not "now"
			expect((await pairs(src.db)).streets).toBeGreaterThan(p.streets);
			// row-level security, its policies and the grants to grid_app came back with the tables
			const grants = await security(src.db);
			expect(grants.filter((g) => g.rls && g.policies > 0 && /grid_app/.test(`${g.acl}${g.columns}`)).length).toBeGreaterThan(10);
			expect(await security(restored)).toEqual(grants);
			expect(existsSync(path.join(target.DATA_DIR!, 'photos', 'p1.jpg'))).toBe(true);
		} finally {
			await restored.close();
		}
		console.log(`[backup test] ${kind}: ${during} transactions committed during the backup, ${atSnapshotPairs?.streets} in the snapshot`);
	}, 240_000);

	it('restore refuses a target that is not empty', async () => {
		const [file] = await listBackups(src.env.BACKUP_DIR!);
		expect(restoredInto).toBeDefined();
		await expect(restoreBackup(file.path, { env: restoredInto! })).rejects.toThrow(kind === 'pglite' ? /不是空的/ : /已有 \d+ 张表/);
	}, 120_000);

	it('an upgrade backs up first, named after the old level; a failed backup stops it', async () => {
		const level = readMigrations().at(-1)!.version;
		const pending = [...readMigrations(), { version: '9999_pending_test', sql: 'SELECT 1' }];
		// up to date: nothing to back up
		expect(await backupBeforeUpgrade(src.db, src.env)).toBeNull();
		const file = await backupBeforeUpgrade(src.db, src.env, pending);
		expect(path.basename(file!)).toMatch(new RegExp(`-${kind}-${level}-pre-upgrade\\.tar\\.gz$`));
		expect((await readManifest(file!)).reason).toBe('pre-upgrade');
		// switched off: no backup
		expect(await backupBeforeUpgrade(src.db, { ...src.env, BACKUP_BEFORE_UPGRADE: 'off' }, pending)).toBeNull();
		// BACKUP_DIR is a file: the backup fails and the upgrade stops, with the reason
		const notADir = path.join(tmp('notdir'), 'file');
		writeFileSync(notADir, '');
		try {
			await expect(backupBeforeUpgrade(src.db, { ...src.env, BACKUP_DIR: notADir }, pending)).rejects.toThrow(UpgradeBackupError);
			// and stays stopped until a restart, without trying again
			await expect(backupBeforeUpgrade(src.db, src.env, pending)).rejects.toThrow(/升级前备份失败/);
		} finally {
			// the failure is kept per process (see upgrade.ts): this process goes on testing
			(globalThis as { __gridUpgradeBackup?: { error: Error | null } }).__gridUpgradeBackup!.error = null;
		}
	}, 180_000);

	if (kind === 'pglite') {
		it('npm run backup goes through the running server’s socket, and restore refuses while it runs', async () => {
			const close = await listenForBackups(() => src.db, src.env);
			try {
				expect(await ping(src.env)).toBe(process.pid);
				const lines: string[] = [];
				let done: { file?: string } | undefined;
				await request(src.env, { op: 'backup' }, (m) => {
					if (typeof m.progress === 'string') lines.push(m.progress);
					if (m.done) done = m.done as { file: string };
				});
				expect(lines.some((l) => l.startsWith('快照完成'))).toBe(true);
				expect(existsSync(done!.file!)).toBe(true);
				// the data directory is taken: no restore into it, even forced
				await expect(restoreBackup(done!.file!, { env: src.env, force: true })).rejects.toThrow(/正在使用/);
			} finally {
				await close();
			}
			expect(await ping(src.env)).toBeNull();
			expect(readdirSync(src.env.DATA_DIR!)).not.toContain('backup.sock');
		}, 180_000);
	}
}

const seedSmall = async (db: Db) => {
	await ensureDemoDistrict(db, () => {}, { households: 3000, seed: 7 });
	await ensurePlace(db, DISTRICT);
};

describe('backup and restore', () => {
	describe('pglite', () => {
		let db: Db | undefined;
		const root = mkdtempSync(path.join(os.tmpdir(), 'gridbackup-pglite-'));
		let n = 0;
		cases(
			'pglite',
			async () => {
				const env = { DATA_DIR: path.join(root, 'src'), BACKUP_DIR: path.join(root, 'backups') };
				db = await openPglite(path.join(env.DATA_DIR, 'pglite'));
				await migrate(db);
				await seedSmall(db);
				return {
					db,
					env,
					target: async () => ({ DATA_DIR: path.join(root, `restored${n++}`), BACKUP_DIR: env.BACKUP_DIR }),
					openRestored: (target) => openPglite(path.join(target.DATA_DIR!, 'pglite'))
				};
			},
			async () => {
				await db?.close();
				rmSync(root, { recursive: true, force: true });
			}
		);
	});

	describe.skipIf(!TEST_DATABASE_URL)('postgres', () => {
		let db: Db | undefined;
		const databases: string[] = [];
		const root = mkdtempSync(path.join(os.tmpdir(), 'gridbackup-pg-'));
		let n = 0;
		const fresh = async () => {
			const name = await createTestDatabase(TEST_DATABASE_URL!);
			databases.push(name);
			return withDatabase(TEST_DATABASE_URL!, name);
		};
		cases(
			'postgres',
			async () => {
				const url = await fresh();
				const env = { DATABASE_URL: url, DATA_DIR: path.join(root, 'src'), BACKUP_DIR: path.join(root, 'backups') };
				db = await openPostgres(url);
				await migrate(db);
				await seedSmall(db);
				return {
					db,
					env,
					target: async () => ({ DATABASE_URL: await fresh(), DATA_DIR: path.join(root, `restored${n++}`), BACKUP_DIR: env.BACKUP_DIR }),
					openRestored: (target) => openPostgres(target.DATABASE_URL!)
				};
			},
			async () => {
				await db?.close();
				for (const name of databases) await dropTestDatabase(TEST_DATABASE_URL!, name);
				rmSync(root, { recursive: true, force: true });
			}
		);
	});
});
