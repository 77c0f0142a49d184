// npm run bench : the project's performance figures, printed — figures, not pass/fail (timed
// assertions do not belong in tests). By default:
//   scale    — datasets of 200 000 and 1 000 000 households (requests 1 per 4, hazards 1 per 40)
//              built on PostgreSQL (a scratch database through BENCH_DATABASE_URL or
//              TEST_DATABASE_URL; NOT RUN without one) and on PGlite (a data dir in a temp folder),
//              side by side: seed + import throughput against plain COPY, tile API against bare
//              SQL, bytes per view, KPI/screen/hotspot queries, clustering against turf and
//              supercluster, and the map page in Chromium, city loaded against an empty map
//   hotspots — Gi* and DBSCAN on 1 000 000 synthetic points and a 1000×1000 lattice
//   planner  — TSPLIB gaps and day plans
//   screen   — the big screen's live-event soak: only with --only screen (3 min; not a scale
//              figure, and it keeps the full run well under 30 minutes)
//   export, importer — GeoJSON/CSV/XLSX export of a 200 000-household district, and the district
//              importer (grids with the tiling check, households previewed and committed):
//              only with --only export / --only importer
//   ogc      — ogr2ogr of the public requests and grids through /ogc with GDAL's defaults, against
//              a running app (BENCH_APP_URL): only with --only ogc
//   basemap  — the GCJ-02 display transform (Amap/Tencent base maps) on 200 000 and 1 000 000
//              points and on the grids: only with --only basemap
//   load     — 200 signed-in users with think time against the built app on a demo district of
//              --households, on PostgreSQL and PGlite, and the closed-loop ceiling: only with
//              --only load (about 10 minutes)
// Options: --sizes 20000,100000   dataset sizes for `scale`
//          --only a,b             sections (scale, hotspots, planner, screen, export, importer, ogc, basemap, load) or parts of scale
//                                 (seed, import, tiles, queries, clustering, browser)
//          --households N         district size for the hotspots section (default 200 000)
import { parseArgs } from 'node:util';
import { benchHotspots } from './hotspots.bench';
import { benchScreen } from './screen.bench';
import { benchPlanner } from './planner.bench';
import { benchExport } from './export.bench';
import { benchImport } from './importer.bench';
import { benchOgc } from './ogc.bench';
import { benchBasemap } from './basemap.bench';
import { benchLoad } from './load.bench';
import { benchScale, SCALE_PARTS } from './scale.bench';
import { stopwatch } from './report';

const { values } = parseArgs({ options: { households: { type: 'string', default: '200000' }, sizes: { type: 'string', default: '200000,1000000' }, only: { type: 'string' } } });
const households = Number(values.households);
if (!Number.isInteger(households) || households < 100) throw new Error(`--households must be a whole number ≥ 100, got ${values.households}`);
const sizes = values.sizes!.split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new Error(`--sizes must be whole numbers ≥ 100, comma-separated, got ${values.sizes}`);
const only = values.only ? values.only.split(',') : null;
const SECTIONS = ['scale', 'hotspots', 'planner', 'screen', 'export', 'importer', 'ogc', 'basemap', 'load'];
for (const o of only ?? []) if (!SECTIONS.includes(o) && !SCALE_PARTS.includes(o as any)) throw new Error(`--only: unknown section "${o}" (${[...SECTIONS, ...SCALE_PARTS].join(', ')})`);
const parts = only?.some((o) => SCALE_PARTS.includes(o as any)) ? SCALE_PARTS.filter((p) => only.includes(p)) : [...SCALE_PARTS];
const DEFAULT = ['scale', 'hotspots', 'planner'];
const wanted = (s: string) => (only ? only.includes(s) || (s === 'scale' && only.some((o) => SCALE_PARTS.includes(o as any))) : DEFAULT.includes(s));

const print = (line: string) => console.log(line);
const lap = stopwatch();
const sections: [string, () => Promise<void>][] = [
	['scale', () => benchScale(sizes, parts, print)],
	['hotspots', () => benchHotspots(households, print)],
	['planner', () => benchPlanner(print)],
	['screen', () => benchScreen(print)],
	['export', () => benchExport(households, print)],
	['importer', () => benchImport(Math.min(households, 100_000), print)],
	['ogc', () => benchOgc(print)],
	['basemap', () => benchBasemap(print)],
	['load', () => benchLoad(households, print)]
];
console.log(`npm run bench — ${new Date().toISOString()}, Node ${process.version}`);
for (const [name, run] of sections) {
	if (!wanted(name)) continue;
	console.log(`\n## ${name}`);
	await run();
	console.log(`\n(${name} done ${lap()})`);
}
