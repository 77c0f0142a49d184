import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haversineMetres, straightLineMatrix } from '../../src/lib/domain/travel';
import { osrmTable } from '../../src/lib/server/visits/osrm';
import { computeItinerary, parseItineraryRequest, travelMatrix } from '../../src/lib/server/visits/itinerary';
import { toGpx, toKml } from '../../src/lib/domain/routeexport';

const A = { lon: 112.95, lat: 28.23 };
const B = { lon: 112.96, lat: 28.23 };

describe('straight-line travel', () => {
	it('one hundredth of a degree of longitude at 28.23°N is about 980 m', () => expect(Math.round(haversineMetres(A, B))).toBe(980));
	it('applies detour and speed, and says so', () => {
		const m = straightLineMatrix([A, B], { detour: 1.5, speedKmh: 30 });
		expect(m.minutes[0][1]).toBeCloseTo((980.1 * 1.5) / 500, 1);
		expect(m.assumption).toBe('未配置路网服务：行程时间按直线距离 × 绕行系数 1.5 ÷ 平均车速 30 km/h 估算，实际用时可能不同');
	});
});

describe('OSRM table client against a loopback server', () => {
	let url = '';
	const seen: string[] = [];
	const server = createServer((req, res) => {
		seen.push(req.url!);
		const n = decodeURIComponent(req.url!.split('/')[4].split('?')[0]).split(';').length;
		const body = req.url!.includes('/walking/')
			? { code: 'NoTable', message: 'no route' }
			: { code: 'Ok', durations: Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 60 * Math.abs(i - j))), distances: Array.from({ length: n }, () => Array(n).fill(1000)) };
		res.writeHead(body.code === 'Ok' ? 200 : 400, { 'content-type': 'application/json' }).end(JSON.stringify(body));
	});
	beforeAll(() => new Promise<void>((r) => server.listen(0, '127.0.0.1', () => { url = `http://127.0.0.1:${(server.address() as any).port}`; r(); })));
	afterAll(() => new Promise<void>((r) => server.close(() => r())));

	it('asks /table/v1 with lon,lat pairs and reads durations in seconds as minutes', async () => {
		const m = await osrmTable(url, [A, B, A]);
		expect(seen.at(-1)).toBe('/table/v1/driving/112.950000,28.230000;112.960000,28.230000;112.950000,28.230000?annotations=duration,distance');
		expect(m.minutes).toEqual([[0, 1, 2], [1, 0, 1], [2, 1, 0]]);
		expect(m.source).toBe('osrm');
	});
	it('an error answer is a clear message', async () => {
		await expect(osrmTable(url, [A, B], { profile: 'walking' })).rejects.toThrow('路网服务返回 400 NoTable no route');
	});
	it('travelMatrix uses OSRM_URL when set and falls back with the reason when it fails', async () => {
		expect((await travelMatrix([A, B], { OSRM_URL: url })).source).toBe('osrm');
		const m = await travelMatrix([A, B], { OSRM_URL: url, OSRM_PROFILE: 'walking' });
		expect(m.source).toBe('straight_line');
		expect(m.assumption).toMatch(/^路网服务返回 400 NoTable no route；未配置路网服务/);
		expect((await travelMatrix([A, B], {})).source).toBe('straight_line');
	});
});

describe('GPX and KML', () => {
	const route = { title: '调研 <物业>', points: [{ name: '区政府', ...A }, { name: '幸福社区', ...B, note: '座谈', time: '2025-06-12T01:00:00Z' }] };
	it('GPX 1.1 with waypoints and a route, escaped', () => {
		const gpx = toGpx(route);
		expect(gpx).toContain('<gpx version="1.1"');
		expect(gpx).toContain('<wpt lat="28.230000" lon="112.960000"><time>2025-06-12T01:00:00Z</time><name>幸福社区</name><desc>座谈</desc></wpt>');
		expect(gpx).toContain('<name>调研 &lt;物业&gt;</name>');
		expect(gpx.match(/<rtept /g)).toHaveLength(2);
	});
	it('KML 2.2 with placemarks and a line in lon,lat order', () => {
		const kml = toKml(route);
		expect(kml).toContain('<coordinates>112.950000,28.230000,0 112.960000,28.230000,0</coordinates>');
		expect(kml).toContain('<name>幸福社区</name>');
		// a stop numbered by the visit export keeps one number, not two ("1. 1. 建设社区")
		const numbered = toKml({ title: 't', points: [{ name: '1. 建设社区 1号楼', ...A }] });
		expect(numbered).toContain('<name>1. 建设社区 1号楼</name>');
		expect(numbered).not.toContain('1. 1.');
	});
});

describe('itinerary of a patrol (up to 300 stops)', () => {
	const body = (n: number) => ({
		date: '2026-12-02', start: { name: '街道办', ...A }, depart: '08:30', budgetMin: 1440,
		stops: Array.from({ length: n }, (_, i) => ({ id: `h${i}`, name: `住户${i + 1}`, lon: 112.9 + (i % 20) * 0.005, lat: 28.18 + Math.floor(i / 20) * 0.005, dwellMin: 2 }))
	});
	it('refuses more than 300 stops before any travel matrix, naming the field', () => {
		expect(() => parseItineraryRequest(body(301))).toThrow(expect.objectContaining({ status: 400, field: 'stops', message: '一天的走访点（stops）最多 300 个，收到 301 个' }));
	});
	it('plans 300 stops, each once, and lets the last one be locked at 300', async () => {
		const req = parseItineraryRequest(body(300));
		req.stops[0].lockedSeq = 300;
		const it = await computeItinerary(req, {}, { timeLimitMs: 1000 }); // the result's shape is checked, not its length
		expect(it.method).toBe('heuristic');
		expect(new Set(it.order).size).toBe(300);
		expect(it.order[299]).toBe('h0');
	});
});
