// Big-screen soak: a day of events (default 2000: 1500 new requests and 500 派单) replayed as fast
// as the database takes them through the real notification path — SQL insert / request_transition()
// → 0006_live.sql trigger → NOTIFY → LiveHub → several SSE streams read to the end — with heap and
// RSS before and after (after a forced GC) and a check that every stream got every event once.
// The page's side (DOM nodes, JS heap under 2000 events) is measured by tests/browser/screen.spec.mjs.
import v8 from 'node:v8';
import vm from 'node:vm';
import { seedDemoDistrict } from '../../db/seed/ensure';
import { openPglite, type Db } from '../../src/lib/server/db/client';
import { NO_POSTGRES, POSTGRES_URL, postgresBackend } from './backends';
import { LiveHub } from '../../src/lib/server/live/hub';
import { sseResponse } from '../../src/lib/server/live/sse';
import { migrate } from '../../src/lib/server/db/migrate';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

function memory() {
	gc();
	gc();
	const m = process.memoryUsage();
	return { heap: m.heapUsed, rss: m.rss };
}

/** Reads an SSE stream to the end, counting `live` frames and duplicate ids. */
function drain(res: Response) {
	const seen = new Set<number>();
	let duplicates = 0;
	let buf = '';
	const dec = new TextDecoder();
	const reader = res.body!.getReader();
	const done = (async () => {
		for (;;) {
			const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
			if (done) return;
			buf += dec.decode(value, { stream: true });
			let i;
			while ((i = buf.indexOf('\n\n')) >= 0) {
				const m = /^id: (\d+)$/m.exec(buf.slice(0, i));
				if (m) {
					const id = Number(m[1]);
					if (seen.has(id)) duplicates++;
					seen.add(id);
				}
				buf = buf.slice(i + 2);
			}
		}
	})();
	return { seen, get duplicates() { return duplicates; }, cancel: () => reader.cancel(), done };
}

async function replay(db: Db, events: number, clients: number, print: (line: string) => void, label: string) {
	const hub = new LiveHub(db);
	await hub.start();
	const [{ grid, cat, lon, lat }] = await db.sql<{ grid: string; cat: string; lon: number; lat: number }>`
		SELECT g.code AS grid, (SELECT code FROM categories WHERE parent_code IS NOT NULL ORDER BY code LIMIT 1) AS cat,
		       ST_X(g.label_point) AS lon, ST_Y(g.label_point) AS lat FROM grids g ORDER BY g.code LIMIT 1`;
	const [{ dept }] = await db.sql<{ dept: number }>`SELECT min(id) AS dept FROM departments`;
	const before = memory();
	const streams = Array.from({ length: clients }, () => drain(sseResponse(db, hub, { role: 'screen', jurisdiction: null, grids: [], departmentId: null }, null, { pingMs: 60_000 })));
	const news = Math.round(events * 0.75);
	const t = performance.now();
	const ids: number[] = [];
	for (let i = 0; i < news; i++) {
		const [{ id }] = await db.sql<{ id: number }>`
			INSERT INTO requests (code, category_code, channel, status, title, grid_code, reported_at, geom)
			VALUES (${`SOAK${Date.now().toString(36)}${i}`}, ${cat}, 'hotline_12345', 'reported', '大屏压测', ${grid}, now(),
			        ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)) RETURNING id`;
		ids.push(id);
	}
	for (let i = 0; i < events - news; i++) {
		await db.sql`SELECT request_transition(${ids[i]}, 'dispatch', NULL, NULL, ${dept}, now(), '压测', NULL, '{}'::jsonb)`;
	}
	const written = performance.now() - t;
	const expected = hub.latest;
	for (const until = Date.now() + 30_000; Date.now() < until && streams.some((s) => ![...s.seen].includes(expected)); ) await new Promise((r) => setTimeout(r, 50));
	const took = performance.now() - t;
	const got = streams.map((s) => s.seen.size);
	const dups = streams.reduce((n, s) => n + s.duplicates, 0);
	for (const s of streams) await s.cancel();
	await hub.stop();
	await db.sql`DELETE FROM live_events`;
	const after = memory();
	print(`${label}: ${events} events (${news} new, ${events - news} 派单) written in ${written.toFixed(0)} ms, all on ${clients} SSE streams after ${took.toFixed(0)} ms ` +
		`(${(events / (took / 1000)).toFixed(0)} events/s); per stream ${got.join('/')} received, ${dups} duplicates; hub delivered ${hub.delivered}`);
	print(`  server memory before → after: heap ${mb(before.heap)} → ${mb(after.heap)} (${after.heap >= before.heap ? '+' : ''}${mb(after.heap - before.heap)}), rss ${mb(before.rss)} → ${mb(after.rss)}`);
}

export async function benchScreen(print: (line: string) => void, events = Number(process.env.BENCH_SCREEN_EVENTS ?? 2000)) {
	// PostgreSQL in a scratch database (backends.ts), never in the one the URL names
	const pg = POSTGRES_URL ? await postgresBackend('screen') : null;
	const targets: [string, () => Promise<Db>][] = [['pglite (in memory)', async () => { const db = await openPglite(); await migrate(db); return db; }]];
	if (pg) targets.push(['postgres', () => pg.open()]);
	else print(`postgres: NOT RUN — ${NO_POSTGRES}`);
	for (const [name, open] of targets) {
		const db = await open();
		if (!(await db.sql`SELECT 1 FROM app_meta WHERE key = 'seed'`).length) await seedDemoDistrict(db, { households: 2000 });
		// a warm-up round so that code loading and first allocations are not counted as growth
		await replay(db, 200, 4, () => {}, name);
		await replay(db, events, 4, print, name);
		await replay(db, events, 4, print, `${name}, second day`);
		await db.close();
	}
	await pg?.drop();
}
