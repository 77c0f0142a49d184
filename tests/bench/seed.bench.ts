// Seeding figures: how long the demo district takes to generate and to load, per step, on PGlite
// (and on PostgreSQL when BENCH_DATABASE_URL is set).
import { generateDistrict } from '../../db/seed/generate';
import { seedDemoDistrict } from '../../db/seed/ensure';
import { openPglite, openPostgres, type Db } from '../../src/lib/server/db';
import { migrate } from '../../src/lib/server/migrate';

const NOW = new Date('2026-11-21T00:00:00+08:00');

export async function benchSeed(households: number, print: (line: string) => void) {
	let t = performance.now();
	const district = generateDistrict({ households, now: NOW });
	print(`generate ${households.toLocaleString()} households: ${(performance.now() - t).toFixed(0)} ms ` +
		`(${district.requests.length.toLocaleString()} requests, ${district.requests.reduce((s, r) => s + r.events.length, 0).toLocaleString()} events, ${district.knocks.length.toLocaleString()} door-knocks)`);

	const targets: [string, () => Promise<Db>][] = [['pglite (in memory)', () => openPglite()]];
	if (process.env.BENCH_DATABASE_URL) targets.push(['postgres', () => openPostgres(process.env.BENCH_DATABASE_URL!)]);
	for (const [name, open] of targets) {
		t = performance.now();
		const db = await open();
		await migrate(db);
		const opened = performance.now() - t;
		// each progress message opens a step; the time until the next message belongs to it
		const marks: string[] = [];
		let [last, step] = [performance.now(), ''];
		const result = await seedDemoDistrict(db, { households, now: NOW }, (p) => {
			const now = performance.now();
			if (step) marks.push(`${step.replace('正在写入：', '')} ${(now - last).toFixed(0)} ms`);
			[last, step] = [now, p.message];
		});
		print(`${name}: open+migrate ${opened.toFixed(0)} ms, seed ${result.totalMs} ms (generate ${result.generatedMs} ms)`);
		print(`  steps: ${marks.join(' | ')}`);
		print(`  rows: ${Object.entries(result.counts).map(([k, v]) => `${k}=${v}`).join(' ')}`);
		await db.close();
	}
}
