// What the running server does about backups: the control socket for `npm run backup` (embedded
// database only: PostgreSQL is dumped by pg_dump from any process) and the schedule. Started
// once per process by database.ts, before the database opens, so the socket marks the data
// directory as taken from the first moment (restore.ts refuses to write under a live server).
import { onShutdown } from '../lifecycle';
import type { Db } from '../db/client';
import { listenForBackups } from './control';
import { scheduleConfig, startSchedule } from './schedule';

const started = ((globalThis as { __gridBackupServices?: { done: boolean } }).__gridBackupServices ??= { done: false });

export function startBackupServices(getDb: () => Db | null, env: Record<string, string | undefined> = process.env): void {
	if (started.done) return;
	started.done = true;
	if (!env.DATABASE_URL) {
		listenForBackups(getDb, env).then(
			(close) => onShutdown('resources', close),
			(e: Error) => console.error(`[backup] 备份通道未能启动（npm run backup 将无法在服务运行时备份）：${e.message}`)
		);
	}
	try {
		const config = scheduleConfig(env);
		if (config) onShutdown('resources', startSchedule(config, getDb, env));
	} catch (e) {
		console.error(`[backup] 定时备份未开启：${(e as Error).message}`);
	}
}
