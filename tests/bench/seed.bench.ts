// Seeding figures: the demo district generated once and loaded by the seed's own loader
// (db/seed/load.ts: COPY per table, indexes dropped and rebuilt) into one database, per step.
import { loadDemoDistrict } from '../../db/seed/ensure';
import type { DemoDistrict } from '../../db/seed/generate';
import type { Db } from '../../src/lib/server/db/client';
import type { Figures } from './report';

export async function benchSeed(db: Db, district: DemoDistrict, figures: Figures, print: (line: string) => void) {
	// each progress message opens a step; the time until the next message belongs to it
	const marks: string[] = [];
	let [last, step] = [performance.now(), ''];
	const result = await loadDemoDistrict(db, district, (p) => {
		const now = performance.now();
		if (step) marks.push(`${step.replace('正在写入：', '')} ${(now - last).toFixed(0)} ms`);
		[last, step] = [now, p.message];
	}, Date.now());
	const rows = Object.values(result.counts).reduce((a, b) => a + b, 0);
	figures.set('seed: whole district load, s', result.totalMs / 1000);
	figures.set('seed: rows/s (all tables, indexes rebuilt)', rows / (result.totalMs / 1000));
	print(`  ${db.kind} seed steps: ${marks.join(' | ')}`);
	print(`  rows: ${Object.entries(result.counts).map(([k, v]) => `${k}=${v}`).join(' ')}`);
}
