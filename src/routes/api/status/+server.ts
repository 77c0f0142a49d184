// Health and seeding progress: {phase, done, total, message, percent, ready}. 200 while the
// embedded database opens or the demo district is seeded (the first-start screen polls it) and once
// ready; 503 whenever the database has not answered: at boot (phase 'waiting_database', with the
// attempts and the last error), while the first connection to PostgreSQL is still being made
// (phase 'opening', waitingFor 'database'), or later — a PostgreSQL that stopped answering, checked
// with one cheap statement (shared by the callers of the same second, db/health.ts) in every phase,
// seeding included. Always says the release (`version`) and, once ready, the database's migration
// level (`schema`): what an upgrade or a rollback is checked against (a database newer than the
// program is refused, SchemaNewerError). The probes for orchestrators are /api/health/live|ready.
import { current, migrating, migrations, open, progress, waiting, WAITING_MESSAGE } from '$lib/server/db/database';
import { probeCached } from '$lib/server/db/health';
import { schemaLevel } from '$lib/server/db/migrate';
import { api, jsonResponse } from '$lib/server/http/respond';

const NO_STORE = { 'cache-control': 'no-store', 'retry-after': '2' };

export const GET = api(async () => {
	void open(); // a fresh process starts opening (and seeding) on the first poll
	const p = progress();
	const percent = p.total > 0 ? Math.round((100 * p.done) / p.total) : 0;
	const w = waiting();
	if (w) {
		return jsonResponse(
			{ ...p, percent, ready: false, version: __APP_VERSION__, waitingFor: 'database', attempts: w.attempts, since: w.since, lastError: w.lastError },
			503,
			NO_STORE
		);
	}
	const db = current();
	if (!db && process.env.DATABASE_URL && !migrating()) {
		// the first connection to PostgreSQL is still being tried: nothing has answered yet
		return jsonResponse({ ...p, percent, ready: false, version: __APP_VERSION__, waitingFor: 'database' }, 503, NO_STORE);
	}
	if (db?.kind === 'postgres') {
		const error = await probeCached(db);
		if (error) {
			return jsonResponse(
				{ phase: 'waiting_database', done: 0, total: 1, message: WAITING_MESSAGE, percent: 0, ready: false, version: __APP_VERSION__, waitingFor: 'database', lastError: error },
				503,
				NO_STORE
			);
		}
	}
	// asked only once ready: while the demo district is seeded, the embedded database's one connection is busy
	// (the serving role of a two-role PostgreSQL may not read schema_migrations: then the level the
	// owner read at the opening)
	const schema = db && p.phase === 'ready' ? ((await schemaLevel(db)) ?? migrations()?.level ?? null) : null;
	return jsonResponse({ ...p, percent, ready: p.phase === 'ready', version: __APP_VERSION__, schema }, 200, { 'cache-control': 'no-store' });
});
