// The GCJ-02 display transform's cost (issue 17): over an Amap/Tencent base map the browser moves
// every point of the binary point tiles when it decodes them (domain/displayCrs.ts). Figures for the
// demo district's 200 000 households and a 1 000 000-household city, in positions moved per second;
// and the grids' GeoJSON (600 polygons) moved for display. Pure CPU: no database.
import { toDisplayFeatures, toDisplayPositions } from '../../src/lib/domain/displayCrs';
import { p50, timed } from './report';

function positions(n: number): Float64Array {
	const out = new Float64Array(2 * n);
	for (let i = 0; i < n; i++) {
		out[2 * i] = 112.8 + ((i * 7919) % 30000) / 100000; // spread over ~0.3° × 0.2° round the demo district
		out[2 * i + 1] = 28.1 + ((i * 104729) % 20000) / 100000;
	}
	return out;
}

export async function benchBasemap(print: (line: string) => void) {
	for (const n of [200_000, 1_000_000]) {
		const ms: number[] = [];
		for (let run = 0; run < 3; run++) {
			const p = positions(n);
			ms.push((await timed(() => toDisplayPositions('gcj02', p)))[1]);
		}
		print(`toDisplayPositions (GCJ-02), ${n.toLocaleString('en')} points: ${p50(ms).toFixed(0)} ms p50 of 3 (${((n / p50(ms)) * 1000 / 1e6).toFixed(2)} M points/s, ${((p50(ms) * 1000) / n).toFixed(2)} µs a point)`);
	}
	// 600 grids of ~40 vertices each, as /api/map/grids sends them
	const square = (x: number, y: number) => Array.from({ length: 41 }, (_, i) => [x + 0.004 * Math.cos((i / 40) * 2 * Math.PI), y + 0.004 * Math.sin((i / 40) * 2 * Math.PI)]);
	const grids = { type: 'FeatureCollection', features: Array.from({ length: 600 }, (_, i) => ({ type: 'Feature', properties: { code: String(i) }, geometry: { type: 'Polygon', coordinates: [square(112.8 + (i % 30) * 0.01, 28.1 + Math.floor(i / 30) * 0.01)] } })) };
	const ms: number[] = [];
	for (let run = 0; run < 5; run++) ms.push((await timed(() => toDisplayFeatures('gcj02', grids)))[1]);
	print(`toDisplayFeatures (GCJ-02), 600 grids × 41 vertices: ${p50(ms).toFixed(1)} ms p50 of 5`);
}
