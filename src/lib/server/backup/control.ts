// The running server's backup channel: a Unix socket, DATA_DIR/backup.sock, mode 0600 (only the
// account that runs the server — and root — can connect; nothing listens on the network). The
// embedded database can only be read by the process that holds it, so `npm run backup` asks the
// server through this socket to take the backup (take.ts) and prints the progress it streams back;
// `npm run restore` uses it to tell that a server still holds the data directory.
//
// One JSON object per line. Request {"op":"backup"} → {"progress":"…"}… then {"done":{file,bytes,ms}}
// or {"error":"…"}; {"op":"ping"} → {"pid":N}.
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Db } from '../db/client';
import { dataDir } from './files';
import { takeBackup, type BackupResult } from './take';

type Env = Record<string, string | undefined>;

export const socketPath = (env: Env = process.env) => path.join(dataDir(env), 'backup.sock');

/** Starts listening; `getDb` is the open database or null while it opens. Resolves to the closer. */
export async function listenForBackups(getDb: () => Db | null, env: Env = process.env): Promise<() => Promise<void>> {
	const file = socketPath(env);
	// before the database opens, on a first start DATA_DIR may not exist yet
	mkdirSync(dataDir(env), { recursive: true });
	if (existsSync(file)) {
		// left by a server that crashed, or a live one: a live one answers
		if (await ping(env).catch(() => null)) throw new Error(`${file}：另一个服务器进程正在使用这个数据目录`);
		rmSync(file, { force: true });
	}
	const server = net.createServer((socket) => {
		let buffer = '';
		const send = (o: unknown) => socket.write(JSON.stringify(o) + '\n');
		socket.on('error', () => {});
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			const nl = buffer.indexOf('\n');
			if (nl < 0) return;
			const line = buffer.slice(0, nl);
			buffer = '';
			let op: unknown;
			try {
				op = (JSON.parse(line) as { op?: unknown }).op;
			} catch {
				op = null;
			}
			if (op === 'ping') return void socket.end(JSON.stringify({ pid: process.pid }) + '\n');
			if (op !== 'backup') return void socket.end(JSON.stringify({ error: '未知请求' }) + '\n');
			const db = getDb();
			if (!db) return void socket.end(JSON.stringify({ error: '数据库尚未打开，请稍后再试' }) + '\n');
			console.log('[backup] 收到备份请求（npm run backup）');
			takeBackup({
				reason: 'manual',
				env,
				pglite: db,
				onProgress: (p) => {
					console.log(`[backup] ${p}`);
					if (!socket.destroyed) send({ progress: p });
				}
			}).then(
				(r: BackupResult) => socket.end(JSON.stringify({ done: { file: r.file, bytes: r.bytes, ms: r.ms, pausedMs: r.manifest.pausedMs, level: r.manifest.level } }) + '\n'),
				(e: Error) => {
					console.error(`[backup] 失败：${e.message}`);
					socket.end(JSON.stringify({ error: e.message }) + '\n');
				}
			);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(file, () => resolve());
	});
	chmodSync(file, 0o600);
	server.unref();
	return () =>
		new Promise<void>((resolve) => {
			server.close(() => resolve());
			rmSync(file, { force: true });
		});
}

/** Sends one request and calls `onMessage` for each line of the answer. Rejects when nothing listens. */
export function request(env: Env, body: object, onMessage: (m: Record<string, unknown>) => void): Promise<void> {
	return new Promise((resolve, reject) => {
		const socket = net.createConnection(socketPath(env));
		let buffer = '';
		socket.on('connect', () => socket.write(JSON.stringify(body) + '\n'));
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			let nl;
			while ((nl = buffer.indexOf('\n')) >= 0) {
				const line = buffer.slice(0, nl);
				buffer = buffer.slice(nl + 1);
				if (line.trim()) onMessage(JSON.parse(line) as Record<string, unknown>);
			}
		});
		socket.on('error', reject);
		socket.on('close', () => resolve());
	});
}

/** The pid of the server that holds DATA_DIR, or null when none answers. */
export async function ping(env: Env = process.env): Promise<number | null> {
	let pid: number | null = null;
	try {
		await request(env, { op: 'ping' }, (m) => {
			if (typeof m.pid === 'number') pid = m.pid;
		});
	} catch {
		return null;
	}
	return pid;
}
