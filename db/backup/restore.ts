// npm run restore -- <backup file> [--force]
// Restores a backup made by npm run backup (or the schedule, or the start before an upgrade):
//   Embedded: into DATA_DIR/pglite, which must be empty or missing (--force: the folder there is
//   renamed and kept beside it); refused while a server uses DATA_DIR.
//   PostgreSQL: into the empty database of DATABASE_OWNER_URL (else DATABASE_URL); the roles must
//   exist first (docs/backup.md). Refused while anyone else is connected to it.
import { parseArgs } from 'node:util';
import { RestoreRefused, restoreBackup } from '../../src/lib/server/backup/restore';

const { values, positionals } = parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true });
if (positionals.length !== 1) {
	console.error('用法 / usage: npm run restore -- <备份文件 grid-….tar.gz> [--force]');
	process.exit(2);
}
try {
	await restoreBackup(positionals[0], { force: values.force, onProgress: (line) => console.log(`[restore] ${line}`) });
} catch (e) {
	console.error(`[restore] ${e instanceof RestoreRefused ? '拒绝恢复' : '恢复失败'}：${(e as Error).message}`);
	process.exit(1);
}
