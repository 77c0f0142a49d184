// Backup files: where they go, what they are called, how they are packed and unpacked, and which
// old ones the schedule removes. One format for both back ends: a .tar.gz holding manifest.json,
// the database (pglite/ — a checkpointed copy of the data directory — or postgres.dump, pg_dump's
// custom format) and photos/ (the request photos under DATA_DIR, which the database rows name).
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import * as tar from 'tar';
import { CST_OFFSET_MS } from '../../domain/time';

export type BackupReason = 'manual' | 'scheduled' | 'pre-upgrade';

export interface Manifest {
	format: 1;
	kind: 'pglite' | 'postgres';
	/** the latest migration the database had (schema_migrations), null on an empty one */
	level: string | null;
	/** the app's version (package.json) that took it */
	appVersion: string;
	/** when the snapshot was taken (RFC 3339, UTC) */
	takenAt: string;
	reason: BackupReason;
	/** PGlite: how long the database was paused for the copy (ms) */
	pausedMs?: number;
}

export const dataDir = (env: Record<string, string | undefined> = process.env) => path.resolve(env.DATA_DIR || 'data');
export const backupDir = (env: Record<string, string | undefined> = process.env) =>
	path.resolve(env.BACKUP_DIR || path.join(dataDir(env), 'backups'));

const FILE = /^grid-(\d{8}-\d{6})-(pglite|postgres)-([a-z0-9_]+|empty)-(manual|scheduled|pre-upgrade)\.tar\.gz$/;

/** grid-20261201-191500-pglite-0020_hazard-scheduled.tar.gz (the time in Beijing time). */
export function backupFileName(m: Pick<Manifest, 'kind' | 'level' | 'reason'>, at = new Date()): string {
	const cst = new Date(at.getTime() + CST_OFFSET_MS).toISOString();
	const stamp = `${cst.slice(0, 10).replaceAll('-', '')}-${cst.slice(11, 19).replaceAll(':', '')}`;
	return `grid-${stamp}-${m.kind}-${m.level ?? 'empty'}-${m.reason}.tar.gz`;
}

export interface BackupFile { name: string; path: string; reason: BackupReason; bytes: number; mtimeMs: number }

/** The finished backups in `dir`, oldest first (half-written ones end in .partial and are not listed). */
export async function listBackups(dir: string): Promise<BackupFile[]> {
	if (!existsSync(dir)) return [];
	const out: BackupFile[] = [];
	for (const name of await readdir(dir)) {
		const m = FILE.exec(name);
		if (!m) continue;
		const s = await stat(path.join(dir, name));
		out.push({ name, path: path.join(dir, name), reason: m[4] as BackupReason, bytes: s.size, mtimeMs: s.mtimeMs });
	}
	return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Keeps the newest `keep` scheduled backups and removes the older ones. Manual and pre-upgrade
 * backups are never removed here: they are the operator's (a pre-upgrade one is a rollback point).
 */
export async function pruneScheduled(dir: string, keep: number): Promise<string[]> {
	const scheduled = (await listBackups(dir)).filter((b) => b.reason === 'scheduled');
	const old = scheduled.slice(0, Math.max(0, scheduled.length - Math.max(1, keep)));
	for (const b of old) await rm(b.path, { force: true });
	return old.map((b) => b.name);
}

export const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} 秒`;

/** Total size of the files under `p`. */
export async function sizeOf(p: string): Promise<number> {
	const s = await stat(p).catch(() => null);
	if (!s) return 0;
	if (!s.isDirectory()) return s.size;
	let total = 0;
	for (const e of await readdir(p)) total += await sizeOf(path.join(p, e));
	return total;
}

/** Calls `report` with a byte count at most every `everyMs` (and once at the end). */
function counter(total: number, report: (done: number, total: number) => void, everyMs = 2000): Transform {
	let done = 0;
	let last = Date.now();
	return new Transform({
		transform(chunk: Buffer, _enc, cb) {
			done += chunk.length;
			if (Date.now() - last >= everyMs) {
				last = Date.now();
				report(done, total);
			}
			cb(null, chunk);
		},
		flush(cb) {
			report(done, total);
			cb();
		}
	});
}

/**
 * Packs `entries` (names under `cwd`) into `file` as .tar.gz, written as `file.partial` and renamed
 * when complete, so a crash never leaves a file that looks finished. `report` gets the bytes read.
 */
export async function pack(cwd: string, entries: string[], file: string, report: (done: number, total: number) => void): Promise<void> {
	mkdirSync(path.dirname(file), { recursive: true });
	const present = entries.filter((e) => existsSync(path.join(cwd, e)));
	let total = 0;
	for (const e of present) total += await sizeOf(path.join(cwd, e));
	const partial = `${file}.partial`;
	try {
		await pipeline(tar.c({ cwd, portable: true, follow: true }, present), counter(total, report), createGzip({ level: 6 }), createWriteStream(partial));
		await rename(partial, file);
	} catch (e) {
		await rm(partial, { force: true });
		throw e;
	}
}

/** Reads manifest.json from a backup file without unpacking the rest. */
export async function readManifest(file: string): Promise<Manifest> {
	let text = '';
	await pipeline(
		createReadStream(file),
		tar.t({
			filter: (p) => p === 'manifest.json',
			onReadEntry: (entry) => {
				entry.on('data', (c: Buffer) => (text += c.toString('utf8')));
			}
		})
	);
	if (!text) throw new Error(`${file}：不是本系统的备份文件（缺少 manifest.json）`);
	const m = JSON.parse(text) as Manifest;
	if (m.format !== 1 || (m.kind !== 'pglite' && m.kind !== 'postgres')) throw new Error(`${file}：无法识别的备份格式`);
	return m;
}

/** Unpacks the entries under `only` (top-level names) of a backup into `cwd`; `report` gets the compressed bytes read. */
export async function unpack(file: string, cwd: string, only: string[], report: (done: number, total: number) => void): Promise<void> {
	mkdirSync(cwd, { recursive: true });
	const total = (await stat(file)).size;
	await pipeline(
		createReadStream(file),
		counter(total, report),
		createGunzip(),
		tar.x({ cwd, filter: (p) => only.some((o) => p === o || p.startsWith(`${o}/`)) })
	);
}
