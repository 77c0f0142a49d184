// Base maps a district can choose by setting, without writing a MapLibre style: 天地图 (vector or
// imagery, each with its Chinese annotation layer, with the district's own `tk` key) and a folder
// of raster tiles on the server (an intranet's offline tiles, served by this app). Pure: the
// settings go in, a style and the origins it fetches from come out.
//
// 天地图's web-Mercator WMTS ("_w" layers) sits on CGCS2000, which WGS84 matches to centimetres:
// our layers need no transform over it (unlike Amap/Tencent, which are GCJ-02).

export const BASEMAP_PRESETS = ['tianditu-vec', 'tianditu-img', 'tiles'] as const;
export type BasemapPreset = (typeof BASEMAP_PRESETS)[number];

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
		[id]: { type: 'raster', tiles, tileSize: 256, maxzoom, attribution }
	});
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

/** The origins a preset's style fetches from (the tile folder is this app's own). */
export const presetOrigins = (preset: BasemapPreset | null): string[] => (preset === 'tianditu-vec' || preset === 'tianditu-img' ? TIANDITU_ORIGINS : []);
