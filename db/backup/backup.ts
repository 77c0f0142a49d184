// npm run backup — one backup of the configured database into BACKUP_DIR (DATA_DIR/backups).
//   Embedded (PGlite): when a server holds DATA_DIR it takes the backup itself (asked through
//   DATA_DIR/backup.sock) while it goes on serving; when none runs, this process opens the folder.
//   PostgreSQL (DATABASE_URL, read as DATABASE_OWNER_URL when set): pg_dump -Fc, any time.
// Progress on stdout; exit 1 with the reason on failure.
import path from 'node:path';
import { openPglite } from '../../src/lib/server/db/client';
import { request } from '../../src/lib/server/backup/control';
import { dataDir, secs } from '../../src/lib/server/backup/files';
import { takeBackup } from '../../src/lib/server/backup/take';

const say = (line: string) => console.log(`[backup] ${line}`);

async function viaServer(): Promise<boolean> {
	let finished = false;
	let failure: string | null = null;
	try {
		await request(process.env, { op: 'backup' }, (m) => {
			if (typeof m.progress === 'string') say(`（服务器）${m.progress}`);
			if (m.done) finished = true;
			if (typeof m.error === 'string') failure = m.error;
		});
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ECONNREFUSED') return false;
		throw e;
	}
	if (failure) throw new Error(failure);
	if (!finished) throw new Error('服务器中断了备份（连接在完成前关闭）');
	return true;
}

try {
	if (process.env.DATABASE_URL) {
		await takeBackup({ reason: 'manual', onProgress: say });
	} else if (!(await viaServer())) {
		const dir = path.join(dataDir(), 'pglite');
		say(`没有服务器在使用 ${dataDir()}：直接打开 ${dir}`);
		const t = Date.now();
		const db = await openPglite(dir);
		say(`已打开（${secs(Date.now() - t)}）`);
		try {
			await takeBackup({ reason: 'manual', pglite: db, onProgress: say });
		} finally {
			await db.close();
		}
	}
} catch (e) {
	console.error(`[backup] 备份失败：${(e as Error).message}`);
	process.exit(1);
}
