// The street ranking of grid workers (/workers) on a seeded database: the largest street's ranking
// timed (median of 5, after one warm-up) as an admin and as that street's leader would read it.
//   DATABASE_URL=postgres://… npx tsx tests/bench/workers-ranking.ts     (or DATA_DIR=… for PGlite)
import { openConfigured } from '../../src/lib/server/db/client';
import { asUser } from '../../src/lib/server/access/userdb';
import { kpiTargets } from '../../src/lib/server/kpi/targets';
import { parseWorkerPeriod } from '../../src/lib/domain/workers';
import { streetRanking } from '../../src/lib/server/workers/workers';

const db = await openConfigured(process.env);
const [street] = await db.sql<{ code: string; n: number }>`SELECT left(ug.grid_code, 9) AS code, count(DISTINCT ug.user_id) AS n
	FROM user_grids ug GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`;
const [admin] = await db.sql<{ id: number }>`SELECT id FROM users WHERE username = 'admin'`;
const viewer = { id: admin.id, role: 'admin' as const, username: 'admin', displayName: 'admin', departmentId: null, title: null };
const period = parseWorkerPeriod(new URLSearchParams(), new Date());
const udb = asUser(db, viewer);
const targets = await kpiTargets(udb);
const times: number[] = [];
let rows = 0;
for (let i = 0; i < 6; i++) {
	const t0 = performance.now();
	const { all } = await streetRanking(udb, viewer, { street: street.code, sort: 'score', page: 1 }, period, targets);
	if (i) times.push(performance.now() - t0);
	rows = all.length;
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ backend: db.kind, street: street.code, workers: rows, medianMs: Math.round(times[2]), minMs: Math.round(times[0]), maxMs: Math.round(times.at(-1)!) }));
await db.close();
