// npm run backup:checksums [-- --json]
// Every table of the configured database (DATABASE_OWNER_URL/DATABASE_URL, else DATA_DIR/pglite —
// stop the server first for the embedded one) with its row count and an md5 of its rows. Run it on
// the original and on a restored or recovered copy and compare (diff): docs/backup.md.
import path from 'node:path';
import { openPglite, openPostgres } from '../../src/lib/server/db/client';
import { tableChecksums } from '../../src/lib/server/backup/checksums';
import { dataDir } from '../../src/lib/server/backup/files';

const url = process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL;
const db = url ? await openPostgres(url) : await openPglite(path.join(dataDir(), 'pglite'));
try {
	const sums = await tableChecksums(db);
	if (process.argv.includes('--json')) console.log(JSON.stringify(sums, null, 1));
	else for (const s of sums) console.log(`${s.table}\t${s.rows}\t${s.md5}`);
} finally {
	await db.close();
}
