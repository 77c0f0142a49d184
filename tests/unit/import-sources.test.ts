// Files districts really have, read without hand edits: ECharts boundary files (code in Feature.id,
// compressed coordinates), KML <MultiGeometry> areas as GDAL/QGIS write them, and ID numbers that a
// spreadsheet kept as numbers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanRecords } from '../../src/lib/domain/import/clean';
import { ID_NUMBER_AS_NUMBER, idNumber } from '../../src/lib/domain/import/fields';
import proj4 from 'proj4';
import { collectPolygons, decodeEchartsGeoJson, projectedCrsDefinition } from '../../src/lib/domain/import/sources';
import { tilingLevel } from '../../src/lib/domain/import/tiling';
import { DEFAULT_LIMITS } from '../../src/lib/domain/import/types';
import { readSource } from '../../src/lib/server/import/read';

/** ECharts' encoder, written from its decoder: zig-zag deltas of 1/1024 degree, two characters a point. */
function encodeRing(ring: number[][]): { s: string; offsets: number[] } {
	const q = ring.map(([x, y]) => [Math.round(x * 1024), Math.round(y * 1024)]);
	let [px, py] = q[0];
	const offsets = [px, py];
	let s = '';
	for (const [x, y] of q) {
		const dx = x - px;
		const dy = y - py;
		s += String.fromCharCode(((dx << 1) ^ (dx >> 31)) + 64, ((dy << 1) ^ (dy >> 31)) + 64);
		px = x;
		py = y;
	}
	return { s, offsets };
}

const SQUARE = [[113.0, 28.2], [113.01, 28.2], [113.01, 28.21], [113.0, 28.21], [113.0, 28.2]];
const SQUARE2 = SQUARE.map(([x, y]) => [x + 0.02, y]);

describe('ECharts boundary files', () => {
	const a = encodeRing(SQUARE);
	const b = encodeRing(SQUARE2);
	const echarts = {
		type: 'FeatureCollection', UTF8Encoding: true,
		features: [
			{ type: 'Feature', id: '430102', properties: { name: '芙蓉区', cp: [113.0, 28.2], childNum: 1 }, geometry: { type: 'Polygon', coordinates: [a.s], encodeOffsets: [a.offsets] } },
			{ type: 'Feature', id: '430103', properties: { name: '天心区' }, geometry: { type: 'MultiPolygon', coordinates: [[a.s], [b.s]], encodeOffsets: [[a.offsets], [b.offsets]] } }
		]
	};

	it('decodes the compressed coordinates to within 1/1024 degree', () => {
		const doc = decodeEchartsGeoJson(echarts as never) as any;
		expect(doc.UTF8Encoding).toBeUndefined();
		const ring = doc.features[0].geometry.coordinates[0];
		expect(ring).toHaveLength(5);
		ring.forEach(([x, y]: number[], i: number) => {
			expect(Math.abs(x - SQUARE[i][0])).toBeLessThanOrEqual(0.5 / 1024);
			expect(Math.abs(y - SQUARE[i][1])).toBeLessThanOrEqual(0.5 / 1024);
		});
		expect(doc.features[1].geometry.coordinates).toHaveLength(2);
		expect(doc.features[1].geometry.encodeOffsets).toBeUndefined();
	});

	it('imports as areas with the 区划代码 taken from Feature.id, no hand edits', async () => {
		const src = await readSource(new TextEncoder().encode(JSON.stringify(echarts)), 'hunan.json', 'areas', DEFAULT_LIMITS);
		const cleaned = cleanRecords('areas', src.records, 'wgs84', DEFAULT_LIMITS);
		expect(cleaned.issues.filter((p) => p.level === 'error'), JSON.stringify(cleaned.issues)).toEqual([]);
		expect(cleaned.rows.map((r) => [r.values.code, r.values.name])).toEqual([['430102', '芙蓉区'], ['430103', '天心区']]);
		expect(cleaned.rows[1].geometry?.type).toBe('MultiPolygon');
	});

	it('a plain GeoJSON passes through unchanged', () => {
		const plain = { type: 'FeatureCollection', features: [] };
		expect(decodeEchartsGeoJson(plain as never)).toBe(plain);
	});
});

describe('KML MultiGeometry from GDAL/QGIS', () => {
	const coords = (r: number[][]) => r.map(([x, y]) => `${x},${y}`).join(' ');
	const kml = `<?xml version="1.0" encoding="utf-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>grids</name>
<Placemark><ExtendedData><SchemaData schemaUrl="#grids"><SimpleData name="code">430199001001001</SimpleData><SimpleData name="name">两块地的网格</SimpleData></SchemaData></ExtendedData>
<MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>${coords(SQUARE)}</coordinates></LinearRing></outerBoundaryIs></Polygon>
<Polygon><outerBoundaryIs><LinearRing><coordinates>${coords(SQUARE2)}</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry></Placemark>
</Folder></Document></kml>`;

	it('reads a two-part area as one MultiPolygon, not a refused GeometryCollection', async () => {
		const src = await readSource(new TextEncoder().encode(kml), 'grids.kml', 'grids', DEFAULT_LIMITS);
		expect(src.records[0].geometry?.type).toBe('MultiPolygon');
		expect((src.records[0].geometry as any).coordinates).toHaveLength(2);
	});

	it('keeps a collection that mixes a point in, to be refused with its type named', () => {
		const mixed = { type: 'GeometryCollection', geometries: [{ type: 'Polygon', coordinates: [SQUARE] }, { type: 'Point', coordinates: [113, 28.2] }] } as const;
		expect(collectPolygons(mixed as never)?.type).toBe('GeometryCollection');
	});
});

describe('ID numbers a spreadsheet kept as numbers', () => {
	it('names the real cause, once', () => {
		// 430102198506151234 kept as a number: 15 significant digits, the rest zeros
		expect(() => idNumber(Number('430102198506151234'))).toThrow(ID_NUMBER_AS_NUMBER);
		expect(() => idNumber('4.30102198506151E+17')).toThrow(ID_NUMBER_AS_NUMBER);
		expect(() => idNumber('430102198506151000')).toThrow(ID_NUMBER_AS_NUMBER);
		// one whose zeros happen to make a valid check digit is a valid ID and passes
		expect(idNumber('430104200012121000')).toBe('430104200012121000');
		// a real check-digit error stays one
		expect(() => idNumber('430102199001011234')).toThrow(/校验位不正确/);
	});

	it('says 身份证号 once in the row message', () => {
		const cleaned = cleanRecords('households', [{ row: 2, where: '第 2 行', props: { 户主姓名: '张三', 身份证号: '12345', 地址: '幸福路1号', 经度: 113.005, 纬度: 28.205 }, geometry: null }], 'wgs84', DEFAULT_LIMITS);
		const msg = cleaned.issues.find((p) => p.field === '身份证号')?.message ?? '';
		expect(msg).toMatch(/^身份证号必须是 18 位/);
		expect(msg).not.toMatch(/身份证号身份证号/);
	});
});

describe('GeoJSON in a projected CRS', () => {
	it('knows the CGCS2000 Gauss–Krüger zones and Web Mercator, and nothing it cannot convert', () => {
		expect(projectedCrsDefinition('urn:ogc:def:crs:EPSG::4547')).toContain('+lon_0=114 ');
		expect(projectedCrsDefinition('urn:ogc:def:crs:EPSG::4545')).toContain('+lon_0=108 +k=1 +x_0=500000 ');
		expect(projectedCrsDefinition('EPSG:4526')).toContain('+lon_0=114 +k=1 +x_0=38500000');
		expect(projectedCrsDefinition('EPSG:4497')).toContain('+lon_0=111 +k=1 +x_0=19500000');
		expect(projectedCrsDefinition('EPSG:4508')).toContain('+lon_0=111 ');
		expect(projectedCrsDefinition('EPSG:3857')).toContain('+proj=merc');
		expect(projectedCrsDefinition('EPSG:2385')).toBeNull();
	});

	it('imports a CGCS2000 3° GK (CM 114°E) GeoJSON as GDAL writes it, back to within 1e-7°', async () => {
		const def = projectedCrsDefinition('EPSG:4547')!;
		const gk = proj4('WGS84', def);
		const ring = SQUARE.map((p) => gk.forward(p));
		const doc = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4547' } },
			features: [{ type: 'Feature', properties: { code: '430102', name: '芙蓉区' }, geometry: { type: 'Polygon', coordinates: [ring] } }] };
		expect(ring[0][0]).toBeGreaterThan(400_000); // metres, not degrees
		const src = await readSource(new TextEncoder().encode(JSON.stringify(doc)), 'gk.geojson', 'areas', DEFAULT_LIMITS);
		const back = (src.records[0].geometry as any).coordinates[0];
		back.forEach(([x, y]: number[], i: number) => {
			expect(Math.abs(x - SQUARE[i][0])).toBeLessThan(1e-7);
			expect(Math.abs(y - SQUARE[i][1])).toBeLessThan(1e-7);
		});
	});

	it('refuses a CRS it does not know, naming what it supports', async () => {
		const doc = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:2385' } }, features: [] };
		await expect(readSource(new TextEncoder().encode(JSON.stringify(doc)), 'x.geojson', 'areas', DEFAULT_LIMITS)).rejects.toThrow(/无法识别.*EPSG:4491–4554/);
	});
});

describe('files we do not read say what to do', () => {
	for (const [name, says] of [['台账.xls', /另存为.*\.xlsx/], ['台账.ods', /另存为.*\.xlsx/], ['网格.shp', /压缩成一个 \.zip/]] as const) {
		it(name, async () => {
			await expect(readSource(new Uint8Array([1, 2, 3]), name, 'grids', DEFAULT_LIMITS)).rejects.toThrow(says);
		});
	}
});

describe('grids tile their community, within a tolerance', () => {
	it('ignores slivers, warns on small pieces, refuses real ones', () => {
		expect(tilingLevel(0.5, 1e6)).toBeNull();
		expect(tilingLevel(80, 1e4)).toBe('warning');
		// 0.5 % of a 1 km² grid is 5 000 m²: a 4 000 m² edge mismatch warns, a 111 000 m² shift is refused
		expect(tilingLevel(4_000, 1e6)).toBe('warning');
		expect(tilingLevel(111_000, 1e6)).toBe('error');
		// the issue's grid: 545 120 863 m² outside its community
		expect(tilingLevel(545_120_863, 2e6)).toBe('error');
	});
});

describe('GeoPackage, as GDAL/QGIS write it', () => {
	const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/import/good/${name}`, import.meta.url)));

	it('reads the grids of a CGCS2000 3° Gauss–Krüger layer (EPSG:4547) back in lon/lat, with their attributes', async () => {
		const src = await readSource(fixture('grids-cgcs2000-gk.gpkg'), 'grids.gpkg', 'grids', DEFAULT_LIMITS);
		const plain = JSON.parse(readFileSync(new URL('../fixtures/import/good/grids.geojson', import.meta.url), 'utf8'));
		expect(src.format).toBe('gpkg');
		expect(src.records).toHaveLength(plain.features.length);
		const cleaned = cleanRecords('grids', src.records, 'wgs84', DEFAULT_LIMITS);
		expect(cleaned.issues.filter((i) => i.level === 'error')).toEqual([]);
		expect(cleaned.rows.map((r) => r.values.code)).toEqual(plain.features.map((f: any) => f.properties['网格编码'] ?? f.properties.code));
		// every vertex back where the GeoJSON had it, to 1e-6° (GDAL's projection and ours agree)
		const ring = (src.records[0].geometry as any).coordinates[0];
		const want = plain.features[0].geometry.coordinates[0];
		ring.forEach(([x, y]: number[], i: number) => {
			expect(Math.abs(x - want[i][0])).toBeLessThan(1e-6);
			expect(Math.abs(y - want[i][1])).toBeLessThan(1e-6);
		});
	});

	it('reads households (points, EPSG:4326) with their Chinese columns', async () => {
		const src = await readSource(fixture('households.gpkg'), 'h.gpkg', 'households', DEFAULT_LIMITS);
		const cleaned = cleanRecords('households', src.records, 'wgs84', DEFAULT_LIMITS);
		expect(cleaned.rows).toHaveLength(3);
		expect(cleaned.rows[0].values).toMatchObject({ head_name: '张建华', size: 3, tags: ['elderly_alone'] });
		expect(cleaned.rows[0].geometry).toMatchObject({ type: 'Point', coordinates: [113.205, 28.205] });
	});

	it('refuses a file that is not one, naming the format', async () => {
		await expect(readSource(new TextEncoder().encode('not sqlite at all'), 'x.gpkg', 'grids', DEFAULT_LIMITS)).rejects.toThrow(/不是有效的 GeoPackage/);
	});
});
