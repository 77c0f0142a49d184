// npm run audit:verify — walks the audit log's hash chain on the configured database
// (DATABASE_URL, else the embedded one under DATA_DIR): "ok N rows" and exit 0, or the first
// broken row's id and exit 1. Runs as the connection's own role, which reads every row.
import { openConfigured } from '../../src/lib/server/db/client';
import { chainProblem, verifyAuditChain } from '../../src/lib/server/access/auditchain';

const db = await openConfigured();
try {
	const c = await verifyAuditChain(db);
	if (c.ok) {
		console.log(`ok ${c.rows} rows`);
	} else {
		console.error(`broken at row ${c.brokenId} (${c.why}) after ${c.rows} good rows: ${chainProblem(c)}`);
		process.exitCode = 1;
	}
} catch (e) {
	// 42883: audit_row_hash() is missing — the database has not been migrated to 0012 yet
	if ((e as { code?: string }).code !== '42883') throw e;
	console.error('这个数据库还没有迁移到 0012_audit_chain（启动一次服务即可迁移），无法校验审计日志哈希链');
	process.exitCode = 2;
} finally {
	await db.close();
}
