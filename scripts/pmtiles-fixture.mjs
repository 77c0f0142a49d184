// Writes tests/fixtures/basemap/district.pmtiles: a small raster PMTiles v3 file over the demo district
// (zooms 10–12, each tile its own colour), for the PMTiles base-map tests. Deterministic: running it
// again writes the same bytes (a unit test checks the committed file against it).
//   node scripts/pmtiles-fixture.mjs
import { writeFileSync } from 'node:fs';
import { FIXTURE_BOUNDS, FIXTURE_METADATA, fixtureTiles, TILE_TYPE, writePmtiles } from '../tests/fixtures/basemap/pmtiles.mjs';

const out = new URL('../tests/fixtures/basemap/district.pmtiles', import.meta.url);
const tiles = fixtureTiles();
const file = writePmtiles(tiles, { type: TILE_TYPE.png, metadata: FIXTURE_METADATA, bounds: FIXTURE_BOUNDS });
writeFileSync(out, file);
console.log(`${out.pathname}: ${tiles.length} tiles, ${file.length} bytes`);
