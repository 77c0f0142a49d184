// Base maps a district can choose by setting, without writing a MapLibre style: 天地图 (vector or
// imagery, each with its Chinese annotation layer, with the district's own `tk` key), Amap and
// Tencent (public raster tiles, GCJ-02), a folder of raster tiles on the server and a local PMTiles
// file (an intranet's offline tiles, served by this app). Pure: the settings go in, a style, the
// origins it fetches from and the coordinates it is drawn in come out.
//
// 天地图's web-Mercator WMTS ("_w" layers) sits on CGCS2000, which WGS84 matches to centimetres:
// our layers need no transform over it. Amap and Tencent draw in GCJ-02: over them the map moves
// our layers for display (domain/displayCrs.ts), see presetCrs.
import type { DisplayCrs } from './displayCrs';

export const BASEMAP_PRESETS = ['tianditu-vec', 'tianditu-img', 'amap-vec', 'amap-img', 'tencent-vec', 'tiles', 'pmtiles'] as const;
export type BasemapPreset = (typeof BASEMAP_PRESETS)[number];

/** Amap's public tile hosts: roads (webrd01–04) and imagery with its annotation (webst01–04). */
export const AMAP_ORIGINS = [1, 2, 3, 4].flatMap((i) => [`https://webrd0${i}.is.autonavi.com`, `https://webst0${i}.is.autonavi.com`]);
/** Tencent's public tile hosts rt0–rt3. */
export const TENCENT_ORIGINS = [0, 1, 2, 3].map((i) => `https://rt${i}.map.gtimg.com`);

/** Amap raster tiles: XYZ numbering like ours. style 8 = roads with labels (lang zh_cn), 6 = imagery. */
export function amapTiles(kind: 'vec' | 'img' | 'note'): string[] {
	return [1, 2, 3, 4].map((i) =>
		kind === 'vec'
			? `https://webrd0${i}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}`
			: `https://webst0${i}.is.autonavi.com/appmaptile?style=${kind === 'img' ? 6 : 8}&x={x}&y={y}&z={z}`
	);
}

/**
 * Tencent raster tiles. Tencent numbers rows from the SOUTH (TMS: y = 2^z − 1 − y_xyz); the source
 * says `scheme: 'tms'`, and MapLibre flips {y} itself.
 */
export function tencentTiles(): string[] {
	return TENCENT_ORIGINS.map((o) => `${o}/tile?z={z}&x={x}&y={y}&styleid=1000&scene=0`);
}

/** The coordinates a preset's tiles are drawn in: GCJ-02 for Amap and Tencent, else WGS84. */
export const presetCrs = (preset: BasemapPreset | null): DisplayCrs => (preset?.startsWith('amap-') || preset === 'tencent-vec' ? 'gcj02' : 'wgs84');

/** 天地图's eight tile hosts: the CSP must allow each. */
export const TIANDITU_ORIGINS = Array.from({ length: 8 }, (_, i) => `https://t${i}.tianditu.gov.cn`);

const TIANDITU_LAYERS: Record<'tianditu-vec' | 'tianditu-img', [string, string]> = {
	'tianditu-vec': ['vec', 'cva'],
	'tianditu-img': ['img', 'cia']
};

/** One 天地图 WMTS layer (KVP GetTile, web Mercator matrix set `w`) as MapLibre tile URLs over the eight hosts. */
export function tiandituTiles(layer: string, tk: string): string[] {
	return TIANDITU_ORIGINS.map(
		(o) => `${o}/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(tk)}`
	);
}

export interface PresetSettings {
	/** 天地图 key (MAP_TIANDITU_TK) */
	tk?: string | null;
	/** where this app serves the tile folder: '/api/map/base-tiles/{z}/{x}/{y}' */
	tilesUrl?: string;
	/** the highest zoom the tile folder holds */
	maxZoom?: number;
	/** where this app serves the PMTiles file's tiles: '/api/map/base-pmtiles/{z}/{x}/{y}' */
	pmtilesUrl?: string;
	/** what the PMTiles file holds (its header), its zooms and, for vector tiles, its layers (its metadata) */
	pmtiles?: PmtilesInfo;
}

export interface PmtilesInfo {
	kind: 'raster' | 'vector';
	minZoom: number;
	maxZoom: number;
	/** vector tiles: the layer names the file's metadata lists (vector_layers[].id) */
	vectorLayers?: string[];
}

/** The preset named by MAP_PRESET, or an error naming the setting and what it may be. */
export function parsePreset(raw: string | null | undefined): BasemapPreset | null {
	if (!raw) return null;
	if ((BASEMAP_PRESETS as readonly string[]).includes(raw)) return raw as BasemapPreset;
	throw new Error(`MAP_PRESET 无法识别：“${raw}”，可选：${BASEMAP_PRESETS.join('、')}`);
}

/** A MapLibre style (version 8) for the preset; raster only, so it needs no glyphs or sprite. */
export function presetStyle(preset: BasemapPreset, s: PresetSettings): Record<string, unknown> {
	const raster = (id: string, tiles: string[], attribution: string, maxzoom: number) => ({
		[id]: { type: 'raster', tiles, tileSize: 256, maxzoom, attribution } as Record<string, unknown>
	});
	if (preset === 'amap-vec' || preset === 'amap-img' || preset === 'tencent-vec') return gcjStyle(preset, raster);
	if (preset === 'pmtiles') return pmtilesStyle(s);
	if (preset === 'tiles') {
		if (!s.tilesUrl) throw new Error('MAP_TILE_DIR 未设置：本地瓦片底图需要瓦片目录');
		return {
			version: 8, name: '本地瓦片',
			sources: raster('base', [s.tilesUrl], '本地瓦片', s.maxZoom ?? 18),
			layers: [{ id: 'base', type: 'raster', source: 'base' }]
		};
	}
	if (!s.tk || !/^[0-9a-f]{32}$/i.test(s.tk)) throw new Error('MAP_TIANDITU_TK 应为天地图控制台里 32 位十六进制的“密钥（tk）”');
	const [base, note] = TIANDITU_LAYERS[preset];
	const credit = '© 国家地理信息公共服务平台 天地图';
	return {
		version: 8, name: preset === 'tianditu-vec' ? '天地图 矢量' : '天地图 影像',
		sources: { ...raster('base', tiandituTiles(base, s.tk), credit, 18), ...raster('note', tiandituTiles(note, s.tk), credit, 18) },
		layers: [{ id: 'base', type: 'raster', source: 'base' }, { id: 'note', type: 'raster', source: 'note' }]
	};
}

type Raster = (id: string, tiles: string[], attribution: string, maxzoom: number) => Record<string, Record<string, unknown>>;

/** Amap (roads, or imagery + annotation) and Tencent (roads): public raster tiles, no key. */
function gcjStyle(preset: 'amap-vec' | 'amap-img' | 'tencent-vec', raster: Raster): Record<string, unknown> {
	if (preset === 'tencent-vec') {
		const sources = raster('base', tencentTiles(), '© 腾讯地图', 18);
		(sources.base as Record<string, unknown>).scheme = 'tms';
		return { version: 8, name: '腾讯地图 矢量', sources, layers: [{ id: 'base', type: 'raster', source: 'base' }] };
	}
	const credit = '© 高德地图';
	if (preset === 'amap-vec') return { version: 8, name: '高德地图 矢量', sources: raster('base', amapTiles('vec'), credit, 18), layers: [{ id: 'base', type: 'raster', source: 'base' }] };
	return {
		version: 8, name: '高德地图 影像',
		sources: { ...raster('base', amapTiles('img'), credit, 18), ...raster('note', amapTiles('note'), credit, 18) },
		layers: [{ id: 'base', type: 'raster', source: 'base' }, { id: 'note', type: 'raster', source: 'note' }]
	};
}

/** Neutral colours for a vector PMTiles file whose layers we know only by name. */
const VECTOR_COLOURS = ['#8fa8c8', '#b5c99a', '#d9b38c', '#a58fc8', '#c88f9f', '#8fc8c0'];

/**
 * A local PMTiles file served by this app: a raster file as one raster layer; a vector file with a
 * plain fill, line and circle layer per source layer its metadata names (a district with its own
 * cartography points MAP_STYLE_URL at its style instead).
 */
function pmtilesStyle(s: PresetSettings): Record<string, unknown> {
	if (!s.pmtilesUrl || !s.pmtiles) throw new Error('MAP_PMTILES_FILE 未设置：PMTiles 底图需要 .pmtiles 文件');
	const { kind, minZoom, maxZoom, vectorLayers = [] } = s.pmtiles;
	const source = { type: kind, tiles: [s.pmtilesUrl], minzoom: minZoom, maxzoom: maxZoom, attribution: '本地 PMTiles', ...(kind === 'raster' ? { tileSize: 256 } : {}) };
	if (kind === 'raster') return { version: 8, name: '本地 PMTiles', sources: { base: source }, layers: [{ id: 'base', type: 'raster', source: 'base' }] };
	if (vectorLayers.length === 0) throw new Error('MAP_PMTILES_FILE 的元数据没有 vector_layers：无法为矢量瓦片生成样式，请改用 MAP_STYLE_URL');
	const layers: Record<string, unknown>[] = [{ id: 'bg', type: 'background', paint: { 'background-color': '#f4f3ef' } }];
	vectorLayers.forEach((name, i) => {
		const colour = VECTOR_COLOURS[i % VECTOR_COLOURS.length];
		const on = (type: string) => ({ source: 'base', 'source-layer': name, filter: ['in', ['geometry-type'], ['literal', [type, `Multi${type}`]]] });
		layers.push(
			{ id: `${name}-fill`, type: 'fill', ...on('Polygon'), paint: { 'fill-color': colour, 'fill-opacity': 0.5 } },
			{ id: `${name}-line`, type: 'line', ...on('LineString'), paint: { 'line-color': colour, 'line-width': 1.2 } },
			{ id: `${name}-point`, type: 'circle', ...on('Point'), paint: { 'circle-color': colour, 'circle-radius': 3 } }
		);
	});
	return { version: 8, name: '本地 PMTiles', sources: { base: source }, layers };
}

/** The origins a preset's style fetches from (the tile folder and the PMTiles file are this app's own). */
export function presetOrigins(preset: BasemapPreset | null): string[] {
	if (preset === 'tianditu-vec' || preset === 'tianditu-img') return TIANDITU_ORIGINS;
	if (preset === 'amap-vec') return AMAP_ORIGINS.filter((o) => o.includes('webrd'));
	if (preset === 'amap-img') return AMAP_ORIGINS.filter((o) => o.includes('webst'));
	if (preset === 'tencent-vec') return TENCENT_ORIGINS;
	return [];
}
