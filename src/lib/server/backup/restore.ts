// Restoring a backup (files.ts format) into an empty place: DATA_DIR/pglite for the embedded
// database, the (empty) database of DATABASE_OWNER_URL/DATABASE_URL for PostgreSQL. Never over
// a database a server is using; over a non-empty one only when forced (the embedded folder is then
// kept beside it, renamed, not deleted).
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { cp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { openPglite, openPostgres, type Db } from '../db/client';
import { ping } from './control';
import { backupFileName, dataDir, mb, readManifest, secs, unpack, type Manifest } from './files';
import { restorePostgres } from './postgres';
import { ownerUrl } from './take';

type Env = Record<string, string | undefined>;

export interface RestoreOptions {
	env?: Env;
	force?: boolean;
	onProgress?: (line: string) => void;
}

export interface RestoreResult {
	manifest: Manifest;
	ms: number;
	/** where the embedded database that was there before now is (with force), else null */
	keptAside: string | null;
}

export class RestoreRefused extends Error {}

export async function restoreBackup(file: string, { env = process.env, force = false, onProgress = () => {} }: RestoreOptions = {}): Promise<RestoreResult> {
	const started = Date.now();
	if (!existsSync(file)) throw new RestoreRefused(`找不到备份文件 ${file}`);
	const manifest = await readManifest(file);
	onProgress(`备份：${path.basename(file)}（${manifest.kind}，结构版本 ${manifest.level ?? '（空）'}，程序 ${manifest.appVersion}，${manifest.takenAt}）`);
	const target = env.DATABASE_URL ? 'postgres' : 'pglite';
	if (manifest.kind !== target) {
		throw new RestoreRefused(`这是${manifest.kind === 'pglite' ? '内置数据库（PGlite）' : 'PostgreSQL'}的备份，当前配置的是${target === 'pglite' ? '内置数据库（未设 DATABASE_URL）' : 'PostgreSQL（DATABASE_URL）'}：请按备份的类型配置后再恢复`);
	}
	const holder = await ping(env);
	if (holder) throw new RestoreRefused(`服务器（进程 ${holder}）正在使用 ${dataDir(env)}：请先停止服务再恢复`);
	const work = mkdtempSync(path.join(dataDirReady(env), '.restore-'));
	try {
		let keptAside: string | null = null;
		const report = (what: string) => (done: number, total: number) => onProgress(`${what} ${total ? Math.round((done / total) * 100) : 100}%（${mb(done)} / ${mb(total)}）`);
		if (manifest.kind === 'pglite') {
			const live = path.join(dataDir(env), 'pglite');
			const occupied = existsSync(live) && readdirSync(live).length > 0;
			if (occupied && !force) throw new RestoreRefused(`${live} 不是空的：恢复只写入空目录（加 --force 时，原目录改名保留在旁边）`);
			onProgress('正在解压…');
			await unpack(file, work, ['pglite', 'photos'], report('解压'));
			if (occupied) {
				keptAside = `${live}.before-restore-${backupFileName({ kind: 'pglite', level: null, reason: 'manual' }).slice(5, 20)}`;
				await rename(live, keptAside);
				onProgress(`原数据目录已改名保留：${keptAside}`);
			} else await rm(live, { recursive: true, force: true });
			await rename(path.join(work, 'pglite'), live);
		} else {
			const url = ownerUrl(env)!;
			const db = await openPostgres(url);
			let extensionTables: string[];
			try {
				await refuseBusyOrFilled(db);
				extensionTables = await extensionTablesIfNotSuperuser(db);
			} finally {
				await db.close();
			}
			if (extensionTables.length) {
				onProgress(`以非超级用户恢复：扩展自带的表 ${extensionTables.join(', ')} 保留建库时 CREATE EXTENSION 写入的内容（本系统不向其添加行）`);
			}
			onProgress('正在解压…');
			await unpack(file, work, ['postgres.dump', 'photos'], report('解压'));
			onProgress('正在用 pg_restore 恢复（单个事务：失败则数据库保持原样）…');
			let items = 0;
			await restorePostgres(path.join(work, 'postgres.dump'), url, (line) => {
				if (/processing data for table/.test(line) && ++items % 10 === 0) onProgress(`pg_restore：已恢复 ${items} 张表的数据…`);
			}, extensionTables);
		}
		if (existsSync(path.join(work, 'photos'))) {
			// photo files have unique names: the restored ones join whatever is there
			await cp(path.join(work, 'photos'), path.join(dataDir(env), 'photos'), { recursive: true, force: false });
			onProgress('照片已恢复');
		}
		const summary = await describeRestored(env);
		onProgress(`恢复完成，用时 ${secs(Date.now() - started)}：${summary}`);
		return { manifest, ms: Date.now() - started, keptAside };
	} finally {
		await rm(work, { recursive: true, force: true });
	}
}

function dataDirReady(env: Env): string {
	mkdirSync(dataDir(env), { recursive: true });
	return dataDir(env);
}

/** PostgreSQL: nobody else connected, and no table of ours yet (PostGIS's own is allowed). */
async function refuseBusyOrFilled(db: Db): Promise<void> {
	const [{ others }] = await db.sql<{ others: number }>`
		SELECT count(*)::int AS others FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
	if (others > 0) throw new RestoreRefused(`还有 ${others} 个连接在使用这个数据库：请先停止服务（restore 不会覆盖正在服务的数据库）`);
	const [{ tables }] = await db.sql<{ tables: number }>`
		SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'`;
	// --force does not empty a PostgreSQL database: dropping one is the DBA's decision (docs/backup.md)
	if (tables > 0) throw new RestoreRefused(`目标数据库已有 ${tables} 张表：PostgreSQL 只恢复到新建的空数据库（CREATE DATABASE … 见 docs/backup.md）`);
}

/**
 * PostGIS's spatial_ref_sys belongs to the extension (a superuser's): the owner role may not write
 * it. Its standard rows come with CREATE EXTENSION and the app adds none, so a restore as the owner
 * leaves them as they are; a superuser restores them as dumped.
 */
async function extensionTablesIfNotSuperuser(db: Db): Promise<string[]> {
	const [{ superuser }] = await db.sql<{ superuser: boolean }>`SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`;
	if (superuser) return [];
	const rows = await db.sql<{ name: string }>`
		SELECT c.relname AS name FROM pg_depend d JOIN pg_class c ON c.oid = d.objid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e' AND c.relkind = 'r' AND n.nspname = 'public' ORDER BY 1`;
	return rows.map((r) => r.name);
}

/** Opens what was restored and says what is in it (schema level, tables, rows). */
async function describeRestored(env: Env): Promise<string> {
	const db = env.DATABASE_URL ? await openPostgres(ownerUrl(env)!) : await openPglite(path.join(dataDir(env), 'pglite'));
	try {
		const [{ level }] = await db.sql<{ level: string | null }>`SELECT max(version) AS level FROM schema_migrations`;
		const [{ tables }] = await db.sql<{ tables: number }>`SELECT count(*)::int AS tables FROM pg_stat_user_tables`;
		const [{ households }] = await db.sql<{ households: number }>`SELECT count(*)::int AS households FROM households`;
		return `结构版本 ${level}，${tables} 张表，${households} 户`;
	} finally {
		await db.close();
	}
}
