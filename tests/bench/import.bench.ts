// Import throughput: households written by the seed's loader (objects → COPY text in 20 000-row
// chunks, db/seed/load.ts) against a plain COPY of the very same rows (text built beforehand,
// 100 000 rows per statement), both into an empty copy of `households` with all its indexes,
// the way an import into a live database has to write.
//
// ── Hook for the household importer (issue 8) ──────────────────────────────────────────────
// Push an entry onto IMPORTERS (or pass `importers` to benchImport): it gets a migrated, seeded
// database, the name of an empty table shaped like households (same columns and indexes) and a
// UTF-8 CSV of the same households, header
//   id,grid_code,address,head_name,phone,id_number,size,tags,lon,lat
// (tags `;`-separated, WGS-84 lon/lat), and resolves to the number of rows it wrote. Its time is
// printed next to the loader's and plain COPY's, rows/s and ÷ COPY. Adapt the CSV (column names,
// GCJ-02, xlsx) to what the importer reads — inside the entry, so the timing covers its parsing.
import { copyMany, householdRow, HOUSEHOLD_COLUMNS, tsv } from '../../db/seed/load';
import type { DemoDistrict } from '../../db/seed/generate';
import type { Db } from '../../src/lib/server/db/client';
import type { Figures } from './report';

export type HouseholdImporter = (db: Db, input: { table: string; csv: string; rows: number }) => Promise<number>;
export const IMPORTERS: { name: string; run: HouseholdImporter }[] = [];

const TABLE = 'bench_import_households';
const PLAIN_CHUNK = 100_000;

function householdsCsv(d: DemoDistrict): string {
	const q = (s: string | number | null) => (s === null ? '' : /[",\n]/.test(String(s)) ? `"${String(s).replace(/"/g, '""')}"` : String(s));
	const lines = ['id,grid_code,address,head_name,phone,id_number,size,tags,lon,lat'];
	for (const h of d.households) {
		const [lon, lat] = d.geo.toLonLat(h.p);
		lines.push([h.id, d.geo.grids[h.grid].code, h.address, h.headName, h.phone, h.idNumber, h.size, h.tags.join(';'), lon.toFixed(7), lat.toFixed(7)].map(q).join(','));
	}
	return lines.join('\n') + '\n';
}

export async function benchImport(db: Db, d: DemoDistrict, figures: Figures, print: (line: string) => void, importers = IMPORTERS) {
	const n = d.households.length;
	await db.exec(`DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (LIKE households INCLUDING DEFAULTS INCLUDING INDEXES)`);
	const empty = () => db.exec(`TRUNCATE ${TABLE}`);

	let t = performance.now();
	await copyMany(db, TABLE, HOUSEHOLD_COLUMNS, d.households, householdRow(d));
	const loader = performance.now() - t;
	await empty();

	const toRow = householdRow(d);
	const chunks: string[] = [];
	for (let i = 0; i < n; i += PLAIN_CHUNK) chunks.push(tsv(d.households.slice(i, i + PLAIN_CHUNK).map(toRow)));
	t = performance.now();
	for (const text of chunks) await db.copyIn(TABLE, HOUSEHOLD_COLUMNS, text);
	const plain = performance.now() - t;
	chunks.length = 0;

	figures.set('import: seed loader, households/s', n / (loader / 1000));
	figures.set('import: plain COPY, households/s', n / (plain / 1000));
	figures.set('import: seed loader ÷ plain COPY (time)', loader / plain);
	if (!importers.length) print(`  import hook: no importer plugged in (tests/bench/import.bench.ts IMPORTERS is empty)`);
	const csv = importers.length ? householdsCsv(d) : '';
	for (const imp of importers) {
		await empty();
		t = performance.now();
		const wrote = await imp.run(db, { table: TABLE, csv, rows: n });
		const ms = performance.now() - t;
		figures.set(`import: ${imp.name}, households/s`, wrote / (ms / 1000));
		figures.set(`import: ${imp.name} ÷ plain COPY (time)`, ms / plain);
	}
	await db.exec(`DROP TABLE ${TABLE}`);
}
