// The serving database with its use measured (ops/metrics.ts): statements and transactions in
// flight against the pool size, and how long each took. postgres.js does not expose its pool's
// counters, so "in use" and "waiting" are what the app itself is waiting on, which is what a full
// pool feels like from here. Only the serving connection is wrapped (database.ts): migrations,
// seeding and the tests use the plain one.
import { withSql, type Db, type Row } from './client';
import { dbMetrics } from '../ops/metrics';

async function timed<T>(end: (ok: boolean) => void, work: () => Promise<T>): Promise<T> {
	try {
		const result = await work();
		end(true);
		return result;
	} catch (e) {
		end(false);
		throw e;
	}
}

export function instrumentDb(db: Db, poolSize = db.kind === 'postgres' ? Number(process.env.DATABASE_POOL_MAX ?? 10) : 1): Db {
	const backend = db.kind;
	dbMetrics.configure(backend, poolSize);
	const wrapped: Omit<Db, 'sql' | 'run'> = {
		kind: db.kind,
		query: <T extends Row>(text: string, params?: unknown[]) => timed(dbMetrics.start(backend, 'query'), () => db.query<T>(text, params)),
		exec: (text: string) => timed(dbMetrics.start(backend, 'exec'), () => db.exec(text)),
		transaction: (fn) => timed(dbMetrics.start(backend, 'transaction'), () => db.transaction(fn)),
		copyIn: (table, columns, text) => db.copyIn(table, columns, text),
		listen: (channel, onNotify, onListen) => db.listen(channel, onNotify, onListen),
		close: () => db.close()
	};
	return withSql(wrapped) as Db;
}
