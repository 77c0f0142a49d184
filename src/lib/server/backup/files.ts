// Backup files: where they go, what they are called, how they are packed and unpacked, and which
// old ones the schedule removes. One format for both back ends: a .tar.gz holding manifest.json,
// the database (pglite/ — a checkpointed copy of the data directory — or postgres.dump, pg_dump's
// custom format) and photos/ (the request photos under DATA_DIR, which the database rows name).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
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

// The packing runs in a child Node process: it is seconds to a minute of reading and gzip, and in
// the serving process every step of it waited for a turn of an event loop busy with requests —
// under load, a 578 MB pack that takes 35 s idle had not started after ten minutes. The child
// is handed `tar` as the file the server itself resolves: the server's working directory may be
// anywhere (systemd runs it in its state directory, outside the app), so the child must not
// resolve the package from there.
const PACK_CHILD = `
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
const [tarFile, cwd, partial, ...entries] = process.argv.slice(1);
const loaded = await import(tarFile);
const tar = loaded.c ? loaded : loaded.default;
let done = 0, last = 0;
const count = new Transform({ transform(chunk, _e, cb) {
	done += chunk.length;
	if (Date.now() - last > 2000) { last = Date.now(); process.stdout.write(done + '\\n'); }
	cb(null, chunk);
} });
await pipeline(tar.c({ cwd, portable: true, follow: true }, entries), count, createGzip({ level: 6 }), createWriteStream(partial));
process.stdout.write(done + '\\n');
`;

/**
 * Packs `entries` (names under `cwd`) into `file` as .tar.gz, written as `file.partial` and renamed
 * when complete, so a crash never leaves a file that looks finished. `report` gets the bytes read.
 */
export async function pack(cwd: string, entries: string[], file: string, report: (done: number, total: number) => void): Promise<void> {
	mkdirSync(path.dirname(file), { recursive: true });
	const present = entries.filter((e) => existsSync(path.join(cwd, e)));
	const total = present.reduce((sum, e) => sum + sizeOfSync(path.join(cwd, e)), 0);
	const partial = `${file}.partial`;
	try {
		await new Promise<void>((resolve, reject) => {
			const tarFile = pathToFileURL(createRequire(import.meta.url).resolve('tar')).href;
			const child = spawn(process.execPath, ['--input-type=module', '-e', PACK_CHILD, tarFile, cwd, partial, ...present], { stdio: ['ignore', 'pipe', 'pipe'] });
			let err = '';
			let rest = '';
			child.stdout.on('data', (chunk: Buffer) => {
				const lines = (rest + chunk.toString('utf8')).split('\n');
				rest = lines.pop() ?? '';
				for (const l of lines) if (/^\d+$/.test(l)) report(Math.min(Number(l), total), total);
			});
			child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
			child.on('error', reject);
			child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`打包失败（退出码 ${code}）：${err.trim().split('\n').slice(-3).join(' | ')}`))));
		});
		await rename(partial, file);
	} catch (e) {
		await rm(partial, { force: true });
		throw e;
	}
}

/** Total size of the files under `p` (synchronous: a few thousand stat calls, milliseconds). */
function sizeOfSync(p: string): number {
	const s = statSync(p);
	if (!s.isDirectory()) return s.size;
	return readdirSync(p).reduce((sum, e) => sum + sizeOfSync(path.join(p, e)), 0);
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
