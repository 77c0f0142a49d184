// Scheduled backups by the running server: BACKUP_EVERY_HOURS (off unless set: on the embedded
// database each one pauses reads and writes for the copy, seconds for the demo district, and each
// file is ~160 MB — the operator decides; docs/backup.md suggests 24) and BACKUP_KEEP (7) scheduled
// files kept, older ones removed. The next one is due EVERY_HOURS after the newest backup in
// BACKUP_DIR of any kind, so a server restarted daily still backs up; an overdue one runs ten
// minutes after the start (BACKUP_FIRST_DELAY_MINUTES), not in the middle of opening.
import type { Db } from '../db/client';
import { backupDir, listBackups, mb, pruneScheduled, secs } from './files';
import { takeBackup } from './take';

type Env = Record<string, string | undefined>;

export interface ScheduleConfig {
	everyMs: number;
	keep: number;
	firstDelayMs: number;
}

/** The schedule from the environment, or null when it is off; a bad value names its variable. */
export function scheduleConfig(env: Env = process.env): ScheduleConfig | null {
	const number = (name: string, fallback: number, min: number) => {
		const raw = env[name];
		if (raw === undefined || raw === '') return fallback;
		const n = Number(raw);
		if (!Number.isFinite(n) || n < min) throw new Error(`${name}=${raw}：应为不小于 ${min} 的数`);
		return n;
	};
	const hours = number('BACKUP_EVERY_HOURS', 0, 0);
	if (!hours) return null;
	return { everyMs: hours * 3600_000, keep: Math.floor(number('BACKUP_KEEP', 7, 1)), firstDelayMs: number('BACKUP_FIRST_DELAY_MINUTES', 10, 0) * 60_000 };
}

/** Runs the schedule until the returned stop is called. `getDb` is the embedded database (null on PostgreSQL or while opening). */
export function startSchedule(config: ScheduleConfig, getDb: () => Db | null, env: Env = process.env): () => void {
	let timer: NodeJS.Timeout | null = null;
	let stopped = false;
	const planNext = async () => {
		if (stopped) return;
		const newest = (await listBackups(backupDir(env)).catch(() => [])).at(-1);
		const due = newest ? newest.mtimeMs + config.everyMs : 0;
		const wait = Math.max(due - Date.now(), config.firstDelayMs);
		timer = setTimeout(run, Math.min(wait, 2 ** 31 - 1));
		timer.unref();
		config.firstDelayMs = 60_000; // after the first: a minute's grace, no more
	};
	const run = async () => {
		const db = env.DATABASE_URL ? null : getDb();
		if (!env.DATABASE_URL && !db) {
			timer = setTimeout(run, 60_000).unref();
			return;
		}
		try {
			const r = await takeBackup({ reason: 'scheduled', env, pglite: db ?? undefined });
			const removed = await pruneScheduled(backupDir(env), config.keep);
			console.log(`[backup] 定时备份完成：${r.file}（${mb(r.bytes)}，用时 ${secs(r.ms)}${r.manifest.pausedMs !== undefined ? `，数据库暂停 ${secs(r.manifest.pausedMs)}` : ''}）${removed.length ? `；按 BACKUP_KEEP=${config.keep} 删除旧备份 ${removed.join(', ')}` : ''}`);
		} catch (e) {
			console.error(`[backup] 定时备份失败：${(e as Error).message}`);
		}
		await planNext();
	};
	console.log(`[backup] 定时备份已开启：每 ${config.everyMs / 3600_000} 小时一次，保留 ${config.keep} 份，目录 ${backupDir(env)}`);
	void planNext();
	return () => {
		stopped = true;
		if (timer) clearTimeout(timer);
	};
}
