// Base maps by setting: 天地图 with the district's key, Amap/Tencent (GCJ-02), a tile folder and a
// PMTiles file served by the app, and the origins the CSP must then allow. The style is checked by MapLibre's own style validator.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePreset, presetCrs, presetOrigins, presetStyle, TENCENT_ORIGINS, TIANDITU_ORIGINS } from '../../src/lib/domain/basemapPresets';
import { withMapOrigins } from '../../src/lib/domain/csp';
import { baseTile } from '../../src/lib/server/map/baseTiles';
import { openPmtiles } from '../../src/lib/server/map/pmtilesFile';
import { FIXTURE_BOUNDS, FIXTURE_METADATA, fixtureTiles, TILE_TYPE, writePmtiles } from '../fixtures/basemap/pmtiles.mjs';

const TK = '0123456789abcdef0123456789abcdef';

describe('天地图 preset', () => {
	it('is a valid MapLibre style: the base layer and its Chinese annotation over eight hosts, with the key', () => {
		for (const preset of ['tianditu-vec', 'tianditu-img'] as const) {
			const style = presetStyle(preset, { tk: TK }) as any;
			expect(validateStyleMin(style), preset).toEqual([]);
			expect(style.layers.map((l: any) => l.id)).toEqual(['base', 'note']);
			const [base, note] = preset === 'tianditu-vec' ? ['vec', 'cva'] : ['img', 'cia'];
			expect(style.sources.base.tiles).toHaveLength(8);
			expect(style.sources.base.tiles[3]).toBe(`https://t3.tianditu.gov.cn/${base}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${base}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${TK}`);
			expect(style.sources.note.tiles[0]).toContain(`LAYER=${note}&`);
		}
	});

	it('refuses a missing or malformed key and an unknown preset, naming the setting', () => {
		expect(() => presetStyle('tianditu-vec', {})).toThrow(/MAP_TIANDITU_TK/);
		expect(() => presetStyle('tianditu-vec', { tk: 'abc' })).toThrow(/32 位/);
		expect(() => parsePreset('amap')).toThrow(/MAP_PRESET 无法识别：“amap”/);
		expect(parsePreset(undefined)).toBeNull();
	});

	it('lets the CSP allow exactly 天地图\'s hosts', () => {
		expect(presetOrigins('tianditu-img')).toEqual(TIANDITU_ORIGINS);
		expect(presetOrigins('tiles')).toEqual([]);
		expect(withMapOrigins("connect-src 'self'; img-src 'self'", presetOrigins('tianditu-vec'))).toContain('https://t7.tianditu.gov.cn');
	});
});

describe('a tile folder served by the app', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'grid-tiles-'));
	mkdirSync(path.join(dir, '12', '3340'), { recursive: true });
	writeFileSync(path.join(dir, '12', '3340', '1710.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
	writeFileSync(path.join(dir, 'secret.txt'), 'no');
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('is a valid raster style pointing at the app', () => {
		const style = presetStyle('tiles', { tilesUrl: '/api/map/base-tiles/{z}/{x}/{y}', maxZoom: 17 }) as any;
		expect(validateStyleMin(style)).toEqual([]);
		expect(style.sources.base).toMatchObject({ type: 'raster', tiles: ['/api/map/base-tiles/{z}/{x}/{y}'], maxzoom: 17 });
	});

	it('serves a tile with its type, 404 for a missing one, 400 for anything but tile numbers', async () => {
		const t = await baseTile(dir, '12', '3340', '1710');
		expect(t.type).toBe('image/png');
		expect([...t.body]).toEqual([0x89, 0x50, 0x4e, 0x47]);
		await expect(baseTile(dir, '12', '3340', '1711')).rejects.toMatchObject({ status: 404 });
		await expect(baseTile(dir, '12', '..', 'secret')).rejects.toMatchObject({ status: 400, field: 'x' });
		await expect(baseTile(dir, '3', '8', '0')).rejects.toMatchObject({ status: 400, field: 'x' });
		await expect(baseTile(dir, '23', '0', '0')).rejects.toMatchObject({ status: 400, field: 'z' });
	});
});

describe('Amap and Tencent presets (GCJ-02)', () => {
	it('are valid raster styles over the public tile hosts, drawn in GCJ-02', () => {
		for (const preset of ['amap-vec', 'amap-img', 'tencent-vec'] as const) {
			const style = presetStyle(preset, {}) as any;
			expect(validateStyleMin(style), preset).toEqual([]);
			expect(presetCrs(preset), preset).toBe('gcj02');
		}
		expect(presetCrs('tianditu-vec')).toBe('wgs84');
		expect(presetCrs('pmtiles')).toBe('wgs84');
		expect(presetCrs(null)).toBe('wgs84');
	});

	it('Amap: roads from webrd01–04, imagery and its annotation from webst01–04, XYZ numbering', () => {
		const vec = presetStyle('amap-vec', {}) as any;
		expect(vec.sources.base.tiles).toEqual([1, 2, 3, 4].map((i) => `https://webrd0${i}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}`));
		expect(vec.sources.base.scheme).toBeUndefined();
		const img = presetStyle('amap-img', {}) as any;
		expect(img.layers.map((l: any) => l.id)).toEqual(['base', 'note']);
		expect(img.sources.base.tiles[0]).toBe('https://webst01.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}');
		expect(img.sources.note.tiles[3]).toBe('https://webst04.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}');
		expect(presetOrigins('amap-vec')).toEqual(['https://webrd01.is.autonavi.com', 'https://webrd02.is.autonavi.com', 'https://webrd03.is.autonavi.com', 'https://webrd04.is.autonavi.com']);
		expect(presetOrigins('amap-img')).toHaveLength(4);
		expect(presetOrigins('amap-img').every((o) => o.includes('webst'))).toBe(true);
	});

	it('Tencent: rows numbered from the south (TMS), which MapLibre flips by the source scheme', () => {
		const style = presetStyle('tencent-vec', {}) as any;
		expect(style.sources.base.scheme).toBe('tms');
		expect(style.sources.base.tiles).toEqual([0, 1, 2, 3].map((i) => `https://rt${i}.map.gtimg.com/tile?z={z}&x={x}&y={y}&styleid=1000&scene=0`));
		expect(presetOrigins('tencent-vec')).toEqual(TENCENT_ORIGINS);
		const csp = withMapOrigins("default-src 'self'; connect-src 'self'", presetOrigins('tencent-vec'));
		expect(csp).toMatch(/connect-src 'self' https:\/\/rt0\.map\.gtimg\.com .*https:\/\/rt3\.map\.gtimg\.com/);
		expect(csp).toMatch(/img-src 'self' https:\/\/rt0\.map\.gtimg\.com/);
	});
});

describe('a PMTiles file served by the app', () => {
	const FILE = path.join(import.meta.dirname, '../fixtures/basemap/district.pmtiles');

	it('the committed fixture is what scripts/pmtiles-fixture.mjs writes', () => {
		const again = writePmtiles(fixtureTiles(), { type: TILE_TYPE.png, metadata: FIXTURE_METADATA, bounds: FIXTURE_BOUNDS });
		expect(readFileSync(FILE).equals(again)).toBe(true);
	});

	it('is read with its header: raster, zooms 10–12; every tile comes back byte for byte', async () => {
		const archive = await openPmtiles(FILE);
		try {
			expect(archive.info).toEqual({ kind: 'raster', minZoom: 10, maxZoom: 12 });
			expect(archive.type).toBe('image/png');
			const tiles = fixtureTiles();
			expect(tiles.length).toBeGreaterThan(20);
			for (const t of tiles) {
				const got = await archive.tile(String(t.z), String(t.x), String(t.y));
				expect(Buffer.from(got).equals(t.data), `${t.z}/${t.x}/${t.y}`).toBe(true);
			}
			const t = tiles[0];
			await expect(archive.tile(String(t.z), String(t.x + 100), String(t.y))).rejects.toMatchObject({ status: 404 });
			await expect(archive.tile('9', '0', '0')).rejects.toMatchObject({ status: 404 });
			await expect(archive.tile('12', '..', '1')).rejects.toMatchObject({ status: 400, field: 'x' });
			await expect(archive.tile('2', '4', '0')).rejects.toMatchObject({ status: 400, field: 'x' });
		} finally {
			await archive.close();
		}
	});

	it('a vector file: its layers from the metadata, tiles as MVT', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'grid-pmtiles-'));
		try {
			const file = path.join(dir, 'v.pmtiles');
			const mvt = Buffer.from([0x1a, 0x02, 0x78, 0x02]); // any bytes: the server does not parse tiles
			writeFileSync(file, writePmtiles([{ z: 0, x: 0, y: 0, data: mvt }], { type: TILE_TYPE.mvt, metadata: { vector_layers: [{ id: 'roads' }, { id: 'water' }] } }));
			const archive = await openPmtiles(file);
			expect(archive.info).toEqual({ kind: 'vector', minZoom: 0, maxZoom: 0, vectorLayers: ['roads', 'water'] });
			expect(archive.type).toBe('application/vnd.mapbox-vector-tile');
			expect(Buffer.from(await archive.tile('0', '0', '0')).equals(mvt)).toBe(true);
			await archive.close();
			const style = presetStyle('pmtiles', { pmtilesUrl: '/api/map/base-pmtiles/{z}/{x}/{y}', pmtiles: archive.info }) as any;
			expect(validateStyleMin(style)).toEqual([]);
			expect(style.sources.base).toMatchObject({ type: 'vector', tiles: ['/api/map/base-pmtiles/{z}/{x}/{y}'], minzoom: 0, maxzoom: 0 });
			expect(style.layers.filter((l: any) => l['source-layer'] === 'water').map((l: any) => l.type)).toEqual(['fill', 'line', 'circle']);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('a raster style pointing at the app; a file that is not PMTiles is refused naming the setting', async () => {
		const style = presetStyle('pmtiles', { pmtilesUrl: '/api/map/base-pmtiles/{z}/{x}/{y}', pmtiles: { kind: 'raster', minZoom: 10, maxZoom: 12 } }) as any;
		expect(validateStyleMin(style)).toEqual([]);
		expect(style.sources.base).toMatchObject({ type: 'raster', tiles: ['/api/map/base-pmtiles/{z}/{x}/{y}'], minzoom: 10, maxzoom: 12, tileSize: 256 });
		expect(() => presetStyle('pmtiles', {})).toThrow(/MAP_PMTILES_FILE/);
		expect(() => presetStyle('pmtiles', { pmtilesUrl: '/x', pmtiles: { kind: 'vector', minZoom: 0, maxZoom: 1 } })).toThrow(/vector_layers/);
		const dir = mkdtempSync(path.join(os.tmpdir(), 'grid-pmtiles-'));
		try {
			writeFileSync(path.join(dir, 'not.pmtiles'), 'this is not a PMTiles archive at all, just text that is long enough');
			await expect(openPmtiles(path.join(dir, 'not.pmtiles'))).rejects.toThrow(/MAP_PMTILES_FILE 无法读取/);
			await expect(openPmtiles(path.join(dir, 'missing.pmtiles'))).rejects.toThrow(/MAP_PMTILES_FILE 无法读取/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
		expect(parsePreset('pmtiles')).toBe('pmtiles');
		expect(presetOrigins('pmtiles')).toEqual([]);
	});
});
