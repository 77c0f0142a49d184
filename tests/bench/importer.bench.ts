// The district importer's own figures (npm run bench -- --only importer), on an embedded PGlite (and PostgreSQL when TEST_DATABASE_URL is set): a community
// tiled by 20 × 20 grids (the tiling check: gaps, overlaps, overflow), then `rows` households as
// CSV, previewed and committed; time and rows per second for each step.
import type { Db } from '../../src/lib/server/db/client';
import { openPglite, openPostgres } from '../../src/lib/server/db/client';
import { runImport } from '../../src/lib/server/import/run';
import { migrate } from '../../src/lib/server/db/migrate';
import { createTestDatabase, dropTestDatabase, withDatabase } from '../integration/helpers/backends';

const N = 20; // grids per side
const [X0, Y0, STEP] = [113.2, 28.2, 0.005];
const ring = (x: number, y: number, w: number) => [[x, y], [x + w, y], [x + w, y + w], [x, y + w], [x, y]];

function files(rows: number) {
	const fc = (features: unknown[]) => new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features }));
	const side = N * STEP;
	// 430102 长沙市芙蓉区: a real GB/T 2260 code, as the area import checks (domain/import/gbt2260.ts)
	const areas = fc(['430102', '430102001', '430102001001'].map((code) => ({ type: 'Feature', properties: { code, name: `区划${code}` }, geometry: { type: 'Polygon', coordinates: [ring(X0, Y0, side)] } })));
	const grids = fc(Array.from({ length: N * N }, (_, i) => ({
		type: 'Feature', properties: { code: `430102001001${String(i + 1).padStart(3, '0')}`, name: `网格${i + 1}` },
		geometry: { type: 'Polygon', coordinates: [ring(X0 + (i % N) * STEP, Y0 + Math.floor(i / N) * STEP, STEP)] }
	})));
	let seed = 1;
	const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
	const lines = ['户主姓名,电话,经度,纬度,地址,家庭人口'];
	for (let i = 0; i < rows; i++) lines.push(`住户${i},1380000${String(i % 10000).padStart(4, '0')},${(X0 + rand() * side).toFixed(6)},${(Y0 + rand() * side).toFixed(6)},小区${i % 500}栋${i % 7}号,${1 + (i % 5)}`);
	return { areas, grids, households: new TextEncoder().encode(lines.join('\n')) };
}

async function timed<T>(print: (line: string) => void, label: string, rows: number, fn: () => Promise<T>): Promise<T> {
	const t = performance.now();
	const out = await fn();
	const s = (performance.now() - t) / 1000;
	print(`${label}: ${rows.toLocaleString()} rows in ${s.toFixed(2)} s (${Math.round(rows / s).toLocaleString()} rows/s)`);
	return out;
}

async function benchOn(db: Db, rows: number, print: (line: string) => void) {
	await migrate(db);
	const f = files(rows);
	await runImport(db, null, { layer: 'areas', fileName: 'a.geojson', bytes: f.areas, crs: 'wgs84' }, { commit: true });
	const g = await timed(print, `${db.kind} grids preview + commit (tiling check)`, N * N, () => runImport(db, null, { layer: 'grids', fileName: 'g.geojson', bytes: f.grids, crs: 'wgs84' }, { commit: true }));
	if (!g.committed || g.warningCount) throw new Error(`grids: ${JSON.stringify(g.errors.slice(0, 2))} ${g.warningCount} warnings`);
	const input = { layer: 'households' as const, fileName: 'h.csv', bytes: f.households, crs: 'gcj02' as const };
	await timed(print, `${db.kind} households preview (${(f.households.byteLength / 1048576).toFixed(1)} MiB CSV)`, rows, () => runImport(db, null, input, { commit: false }));
	// the points were drawn in WGS84 but read as GCJ-02: some shift out of the tiled square at its edges
	const h = await timed(print, `${db.kind} households preview again`, rows, () => runImport(db, null, { ...input, crs: 'wgs84' }, { commit: false }));
	if (h.errorCount) throw new Error(JSON.stringify(h.errors.slice(0, 2)));
	await timed(print, `${db.kind} households commit`, rows, () => runImport(db, null, { ...input, crs: 'wgs84' }, { commit: true }));
}

export async function benchImport(rows: number, print: (line: string) => void) {
	const lite = await openPglite();
	try {
		await benchOn(lite, rows, print);
	} finally {
		await lite.close();
	}
	const url = process.env.TEST_DATABASE_URL;
	if (!url) return print('postgres: skipped (TEST_DATABASE_URL unset)');
	const name = await createTestDatabase(url);
	const pg = await openPostgres(withDatabase(url, name));
	try {
		await benchOn(pg, rows, print);
	} finally {
		await pg.close();
		await dropTestDatabase(url, name);
	}
}
