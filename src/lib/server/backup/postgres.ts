// PostgreSQL backups with PostgreSQL's own tools: pg_dump -Fc and pg_restore (postgresql-client).
// pg_dump reads one MVCC snapshot, so writes going on meanwhile are simply not in it: no pause.
// The snapshot is exported from a REPEATABLE READ transaction of ours (pg_export_snapshot) and
// handed to pg_dump (--snapshot), so the schema level in the manifest — and, in the restore test,
// the tables' checksums — are read from exactly the state that is dumped.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db, Queryable } from '../db/client';

/** Where pg_dump/pg_restore are: PG_BIN, else PATH, else the newest /usr/lib/postgresql/N/bin. */
export function findTool(name: 'pg_dump' | 'pg_restore', env: Record<string, string | undefined> = process.env): string {
	const dirs = [env.PG_BIN, ...(env.PATH ?? '').split(path.delimiter)].filter((d): d is string => !!d);
	const versions = existsSync('/usr/lib/postgresql')
		? readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
		: [];
	dirs.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
	for (const d of dirs) if (existsSync(path.join(d, name))) return path.join(d, name);
	throw new Error(
		`找不到 ${name}：PostgreSQL 的备份与恢复需要 postgresql-client（Debian：apt-get install postgresql-client-15，版本不低于数据库服务器），或用 PG_BIN 指明其目录 / ${name} not found: install postgresql-client or set PG_BIN`
	);
}

/** The URL without its password, and the password for PGPASSWORD (a password on a command line is visible in ps). */
export function splitPassword(url: string): { url: string; password: string | undefined } {
	const u = new URL(url);
	const password = u.password ? decodeURIComponent(u.password) : undefined;
	u.password = '';
	// app.system_read and other startup parameters of the app's own client mean nothing to libpq
	u.searchParams.delete('app.system_read');
	return { url: u.toString(), password };
}

/** Runs a PostgreSQL tool; `onLine` gets its stderr (--verbose) line by line. Rejects with the last lines on failure. */
export function runTool(tool: string, args: string[], password: string | undefined, onLine: (line: string) => void): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(tool, args, {
			env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}), PGAPPNAME: 'grid-backup' },
			stdio: ['ignore', 'ignore', 'pipe']
		});
		const tail: string[] = [];
		let rest = '';
		child.stderr.on('data', (chunk: Buffer) => {
			const lines = (rest + chunk.toString('utf8')).split('\n');
			rest = lines.pop() ?? '';
			for (const l of lines) {
				tail.push(l);
				if (tail.length > 8) tail.shift();
				onLine(l);
			}
		});
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve();
			else reject(new Error(`${path.basename(tool)} 失败（退出码 ${code}）：${tail.filter((l) => !/: (dumping|processing|creating|restoring|executing|reading|saving|finding|identifying|flagging|last built-in)/.test(l)).slice(-4).join(' | ') || tail.slice(-2).join(' | ')}`));
		});
	});
}

/**
 * pg_dump -Fc of the database `db` is connected to (given as `url`), into `file`, from a snapshot
 * exported by `db`; `atSnapshot` runs in that snapshot first. Returns what it read there.
 */
export async function dumpPostgres(
	db: Db,
	url: string,
	file: string,
	onLine: (line: string) => void,
	atSnapshot?: (tx: Queryable) => Promise<void>
): Promise<void> {
	const tool = findTool('pg_dump');
	const { url: bare, password } = splitPassword(url);
	await db.transaction(async (tx) => {
		await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
		const [{ id }] = await tx.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
		await atSnapshot?.(tx);
		await runTool(tool, ['--format=custom', '--verbose', `--snapshot=${id}`, `--file=${file}`, `--dbname=${bare}`], password, onLine);
	});
}

/**
 * pg_restore of `file` into the (empty) database of `url`, in one transaction: a failure leaves
 * the database as it was. Ownership and grants are restored as dumped, so the roles must exist
 * (docs/backup.md). COMMENT ON EXTENSION is left out: only the extension's owner (a superuser) may
 * set it, and the DBA creates PostGIS beforehand anyway. `skipDataOf`: tables whose rows are not
 * restored (an extension's own tables, which only a superuser may write: restore.ts).
 */
export async function restorePostgres(file: string, url: string, onLine: (line: string) => void, skipDataOf: readonly string[] = []): Promise<void> {
	const tool = findTool('pg_restore');
	const { url: bare, password } = splitPassword(url);
	let list = '';
	await runToolCapture(tool, ['--list', file], (chunk) => (list += chunk));
	const skipped = (l: string) => / COMMENT - EXTENSION /.test(l) || skipDataOf.some((t) => l.includes(` TABLE DATA public ${t} `));
	const kept = list.split('\n').filter((l) => !skipped(l)).join('\n');
	const listFile = `${file}.list`;
	await writeFile(listFile, kept);
	try {
		await runTool(tool, ['--verbose', '--single-transaction', '--exit-on-error', `--use-list=${listFile}`, `--dbname=${bare}`, file], password, onLine);
	} finally {
		await rm(listFile, { force: true });
	}
}

function runToolCapture(tool: string, args: string[], onStdout: (chunk: string) => void): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let err = '';
		child.stdout.on('data', (c: Buffer) => onStdout(c.toString('utf8')));
		child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(tool)} 失败（退出码 ${code}）：${err.trim().slice(-400)}`))));
	});
}
