// Is PostgreSQL answering? One cheap statement with a deadline, for the health check (/api/status).
import { describeError, type Db } from './client';

// a health check that hangs is no answer: a PostgreSQL that does not answer within this is down
export const PROBE_MS = 3000;

/** null when the database answers `SELECT 1` within `ms`, else what went wrong. */
export async function probe(db: Db, ms = PROBE_MS): Promise<{ code: string; message: string } | null> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(Object.assign(new Error(`数据库 ${ms} 毫秒内没有应答`), { code: 'TIMEOUT' })), ms);
	});
	try {
		await Promise.race([db.sql`SELECT 1`, late]);
		return null;
	} catch (e) {
		return describeError(e);
	} finally {
		clearTimeout(timer);
	}
}
