// Taking one backup, for every caller: `npm run backup`, the running server (its control socket,
// the schedule) and the start before an upgrade. See files.ts for the format, pglite.ts and
// postgres.ts for how each back end is read consistently while it serves.
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openPostgres, type Db, type Queryable } from '../db/client';
import { backupDir, backupFileName, dataDir, mb, pack, secs, type BackupReason, type Manifest } from './files';
import { snapshotPglite } from './pglite';
import { dumpPostgres } from './postgres';

type Env = Record<string, string | undefined>;

export interface BackupOptions {
	reason: BackupReason;
	env?: Env;
	/** the open embedded database (PGlite); for PostgreSQL leave it out: `env`'s owner URL is used */
	pglite?: Db;
	/** progress lines, in Chinese */
	onProgress?: (line: string) => void;
	/** runs inside the snapshot, on its transaction (the restore test reads checksums there) */
	atSnapshot?: (tx: Queryable) => Promise<void>;
}

export interface BackupResult {
	file: string;
	bytes: number;
	ms: number;
	manifest: Manifest;
}

/** The URL that reads everything: the owner's (README, Database roles), else DATABASE_URL. */
export const ownerUrl = (env: Env) => env.DATABASE_OWNER_URL || env.DATABASE_URL;

export function appVersion(): string {
	try {
		return (JSON.parse(readFileSync('package.json', 'utf8')) as { version?: string }).version ?? 'unknown';
	} catch {
		return 'unknown';
	}
}

/** The latest migration applied, read inside the snapshot (null on an empty database). */
async function levelIn(tx: Queryable): Promise<string | null> {
	const [{ present }] = await tx.sql<{ present: boolean }>`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`;
	if (!present) return null;
	const [row] = await tx.sql<{ version: string | null }>`SELECT max(version) AS version FROM schema_migrations`;
	return row?.version ?? null;
}

// one backup at a time per process (a scheduled one and a manual one would pause twice and
// compete for the disk); on globalThis like the database itself (vite dev re-evaluates modules)
const lock = ((globalThis as { __gridBackupLock?: { current: Promise<unknown> } }).__gridBackupLock ??= { current: Promise.resolve() });

/** Takes a backup into BACKUP_DIR and returns its file. One at a time: a second call waits for the first. */
export function takeBackup(options: BackupOptions): Promise<BackupResult> {
	const next = lock.current.catch(() => {}).then(() => takeOne(options));
	lock.current = next;
	return next;
}

async function takeOne({ reason, env = process.env, pglite, onProgress = () => {}, atSnapshot }: BackupOptions): Promise<BackupResult> {
	const started = Date.now();
	const dir = backupDir(env);
	await mkdir(dir, { recursive: true });
	// the staging copy lives beside the backups (same file system, and where the space was planned)
	const stage = mkdtempSync(path.join(dir, '.stage-'));
	try {
		let level: string | null = null;
		const atSnap = async (tx: Queryable) => {
			level = await levelIn(tx);
			await atSnapshot?.(tx);
		};
		const manifest: Manifest = { format: 1, kind: pglite ? 'pglite' : 'postgres', level: null, appVersion: appVersion(), takenAt: '', reason };
		if (pglite) {
			onProgress(`正在建立快照：暂停内置数据库的读写，检查点后复制 ${path.join(dataDir(env), 'pglite')}…`);
			const snap = await snapshotPglite(pglite, dataDir(env), stage, atSnap);
			manifest.pausedMs = snap.pausedMs;
			manifest.takenAt = new Date().toISOString();
			onProgress(`快照完成：数据库暂停 ${secs(snap.pausedMs)}，结构版本 ${level ?? '（空）'}`);
		} else {
			const url = ownerUrl(env);
			if (!url) throw new Error('未设置 DATABASE_URL');
			const db = await openPostgres(url);
			try {
				onProgress('正在用 pg_dump 导出（一个 MVCC 快照，服务照常读写）…');
				let tables = 0;
				await dumpPostgres(db, url, path.join(stage, 'postgres.dump'), (line) => {
					if (/dumping contents of table/.test(line) && ++tables % 10 === 0) onProgress(`pg_dump：已导出 ${tables} 张表的数据…`);
				}, async (tx) => {
					manifest.takenAt = new Date().toISOString();
					await atSnap(tx);
				});
				onProgress(`pg_dump 完成：${tables} 张表，${mb((await stat(path.join(stage, 'postgres.dump'))).size)}，结构版本 ${level ?? '（空）'}`);
			} finally {
				await db.close();
			}
		}
		manifest.level = level;
		await writeFile(path.join(stage, 'manifest.json'), JSON.stringify(manifest, null, 2));
		// photos are written before the rows that name them (requests/photos.ts): copied after the
		// snapshot, every photo a row in it names is there
		symlinkSync(path.join(dataDir(env), 'photos'), path.join(stage, 'photos'));
		const file = path.join(dir, backupFileName(manifest));
		onProgress('正在压缩写入备份文件…');
		await pack(stage, ['manifest.json', manifest.kind === 'pglite' ? 'pglite' : 'postgres.dump', 'photos'], file, (done, total) =>
			onProgress(`压缩 ${total ? Math.min(100, Math.round((done / total) * 100)) : 100}%（${mb(Math.min(done, total))} / ${mb(total)}）`)
		);
		const bytes = (await stat(file)).size;
		const ms = Date.now() - started;
		onProgress(`备份完成：${file}（${mb(bytes)}，用时 ${secs(ms)}）`);
		return { file, bytes, ms, manifest };
	} finally {
		await rm(stage, { recursive: true, force: true });
	}
}
