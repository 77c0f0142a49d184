// ogr2ogr of the public requests through the OGC API with GDAL's defaults (no -oo PAGE_SIZE), the
// way a GIS desk copies them: the time, the HTTP requests GDAL made (CPL_DEBUG's "Fetch(" lines)
// and the features written. Needs a running app (BENCH_APP_URL, e.g. http://127.0.0.1:3104) and
// gdal-bin's ogr2ogr; without either it says NOT RUN. Only with --only ogc.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt } from './report';

export async function benchOgc(print: (line: string) => void): Promise<void> {
	const app = process.env.BENCH_APP_URL;
	const gdal = spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' });
	if (!app || gdal.status !== 0) {
		print(`NOT RUN: ${!app ? 'set BENCH_APP_URL to a running app (npm run build; node scripts/start.mjs)' : 'ogr2ogr not found (apt-get install gdal-bin)'}`);
		return;
	}
	print(gdal.stdout.trim());
	const dir = mkdtempSync(join(tmpdir(), 'ogc-bench-'));
	try {
		for (const layer of ['requests', 'grids']) {
			const out = join(dir, `${layer}.gpkg`);
			const t = performance.now();
			const run = spawnSync('ogr2ogr', ['-f', 'GPKG', out, `OAPIF:${app.replace(/\/$/, '')}/ogc`, layer], { encoding: 'utf8', env: { ...process.env, CPL_DEBUG: 'ON' }, maxBuffer: 64 * 1024 * 1024 });
			const seconds = (performance.now() - t) / 1000;
			if (run.status !== 0) {
				print(`${layer}: ogr2ogr failed (exit ${run.status}): ${run.stderr.split('\n').filter((l) => /ERROR/.test(l)).slice(0, 3).join(' ')}`);
				continue;
			}
			const fetches = (run.stderr.match(/HTTP: Fetch\(/g) ?? []).length;
			const info = spawnSync('ogrinfo', ['-ro', '-so', out, layer], { encoding: 'utf8' });
			const count = Number(/Feature Count: (\d+)/.exec(info.stdout)?.[1] ?? NaN);
			print(`${layer}: ogr2ogr with GDAL's defaults ${fmt(seconds)} s, ${fmt(count)} features, ${fetches} HTTP requests`);
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
