// An upgrade takes a backup first: when the server starts on a database that has migrations still
// to apply (and has any at all — a new, empty one has nothing to lose), it backs the database up
// into BACKUP_DIR, named after the old schema level, before migrate() changes it. A failed backup
// stops the upgrade: the server does not migrate and keeps answering 503 with the reason until
// it is restarted (fix the cause — disk space, pg_dump missing — or set BACKUP_BEFORE_UPGRADE=off).
// Rollback (docs/backup.md): stop, `npm run restore` that file, start the previous version.
import type { Db } from '../db/client';
import { readMigrations, schemaLevel, type Migration } from '../db/migrate';
import { mb, secs } from './files';
import { takeBackup } from './take';

type Env = Record<string, string | undefined>;

export class UpgradeBackupError extends Error {
	readonly code = 'UPGRADE_BACKUP_FAILED';
	constructor(level: string, cause: Error) {
		super(
			`升级前备份失败，未执行数据库升级（当前结构版本 ${level}）：${cause.message}。请排除原因后重启；确认已有其他备份时可设 BACKUP_BEFORE_UPGRADE=off 跳过`,
			{ cause }
		);
	}
}

// a failure is kept until the process restarts: the opening is retried every 2 s, and a
// half-gigabyte copy must not be retried that often
const failed = ((globalThis as { __gridUpgradeBackup?: { error: Error | null } }).__gridUpgradeBackup ??= { error: null });

/** Backs up before migrating when migrations are pending; returns the file, or null when none was needed. */
export async function backupBeforeUpgrade(owner: Db, env: Env = process.env, migrations: Migration[] = readMigrations()): Promise<string | null> {
	if (failed.error) throw failed.error;
	const level = await schemaLevel(owner);
	if (!level) return null;
	const applied = new Set((await owner.sql<{ version: string }>`SELECT version FROM schema_migrations`).map((r) => r.version));
	const pending = migrations.filter((m) => !applied.has(m.version));
	const latest = migrations.at(-1)?.version ?? '';
	// nothing to do, or a database newer than the code (migrate() refuses it: SchemaNewerError)
	if (!pending.length || level > latest) return null;
	if (/^(off|0|false|no)$/i.test(env.BACKUP_BEFORE_UPGRADE ?? '')) {
		console.warn(`[backup] BACKUP_BEFORE_UPGRADE=off：升级 ${level} → ${latest} 前不备份`);
		return null;
	}
	console.log(`[backup] 数据库将从 ${level} 升级到 ${latest}（${pending.length} 个迁移），先备份…`);
	try {
		const r = await takeBackup({
			reason: 'pre-upgrade',
			env,
			pglite: owner.kind === 'pglite' ? owner : undefined,
			onProgress: (p) => console.log(`[backup] ${p}`)
		});
		console.log(`[backup] 升级前备份：${r.file}（${mb(r.bytes)}，${secs(r.ms)}）；回退方法见 docs/backup.md`);
		return r.file;
	} catch (e) {
		failed.error = new UpgradeBackupError(level, e as Error);
		throw failed.error;
	}
}
