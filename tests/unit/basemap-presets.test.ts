// Base maps by setting: 天地图 with the district's key, a tile folder served by the app, and the
// origins the CSP must then allow. The style is checked by MapLibre's own style validator.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePreset, presetOrigins, presetStyle, TIANDITU_ORIGINS } from '../../src/lib/domain/basemapPresets';
import { withMapOrigins } from '../../src/lib/domain/csp';
import { baseTile } from '../../src/lib/server/map/baseTiles';

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
