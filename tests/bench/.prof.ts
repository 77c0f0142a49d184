import { openPostgres } from '../../src/lib/server/db/client';
import { computeKpis, rankChildren } from '../../src/lib/server/kpi/kpi';
import { screenSummary } from '../../src/lib/server/screen/summary';
import { lastDays } from '../../src/lib/domain/calendar';
const db = await openPostgres(process.env.U!);
const now = new Date('2026-11-21T00:00:00+08:00');
const orig = db.query.bind(db);
let log: [number, string][] = [];
(db as any).query = async (t: string, p?: unknown[]) => { const s = performance.now(); const r = await orig(t, p); log.push([performance.now() - s, t.replace(/\s+/g, ' ').slice(0, 140)]); return r; };
const year = { area: null, department: null, pairing: null, ...lastDays(365, now) };
for (const what of ['kpi', 'screen']) {
  for (let i = 0; i < 2; i++) {
    log = [];
    const t = performance.now();
    if (what === 'kpi') await computeKpis(db, year, { now, source: 'rollups' }); else await screenSummary(db, null, now, 'rollups');
    console.log(what, 'total', Math.round(performance.now() - t));
  }
  for (const [ms, q] of log.sort((a, b) => b[0] - a[0]).slice(0, 8)) console.log('  ', Math.round(ms), q);
}
await db.close();
