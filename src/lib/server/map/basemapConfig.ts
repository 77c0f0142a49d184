// The base map the installation configured, read once from the environment:
//   MAP_STYLE_URL (or PUBLIC_MAP_STYLE_URL)  any MapLibre style; wins over a preset
//   MAP_PRESET=tianditu-vec|tianditu-img + MAP_TIANDITU_TK   天地图 with the district's key
//   MAP_PRESET=amap-vec|amap-img|tencent-vec              Amap / Tencent public tiles, drawn in GCJ-02
//   MAP_PRESET=tiles + MAP_TILE_DIR (+ MAP_TILE_MAXZOOM)      a folder of {z}/{x}/{y}.png|jpg|webp tiles
//   MAP_PRESET=pmtiles + MAP_PMTILES_FILE                 a local .pmtiles file (raster or vector tiles)
//   MAP_ORIGINS                                          further origins a style fetches from
//   MAP_DISPLAY_CRS=gcj02                                 a MAP_STYLE_URL whose tiles are GCJ-02 (Amap-based)
// A bad setting is logged once with its name, and the map keeps its offline base map (and says so).
import { env } from '$env/dynamic/private';
import { env as publicEnv } from '$env/dynamic/public';
import { parsePreset, presetCrs, presetOrigins, presetStyle, type BasemapPreset } from '../../domain/basemapPresets';
import { notFound } from '../../domain/apierror';
import { mapOrigins } from '../../domain/csp';
import { parseDisplayCrs, type DisplayCrs } from '../../domain/displayCrs';
import { openPmtiles, type PmtilesArchive } from './pmtilesFile';

/** Where the app serves a preset's style, the tile folder and the PMTiles file's tiles. */
export const PRESET_STYLE_URL = '/api/map/base-style';
export const BASE_TILES_URL = '/api/map/base-tiles/{z}/{x}/{y}';
export const BASE_PMTILES_URL = '/api/map/base-pmtiles/{z}/{x}/{y}';

export interface BasemapConfig {
	/** what the map page loads instead of the offline base map, or null */
	styleUrl: string | null;
	/** a preset's style (served at PRESET_STYLE_URL) */
	style: Record<string, unknown> | null;
	/** the tile folder MAP_TILE_DIR (preset `tiles`) */
	tileDir: string | null;
	/** the PMTiles file MAP_PMTILES_FILE (preset `pmtiles`); its style is made once the file is read (baseStyle) */
	pmtilesFile: string | null;
	/** the coordinates the base map is drawn in: our layers are moved into them for display */
	displayCrs: DisplayCrs;
	/** origins the Content-Security-Policy must allow (domain/csp.ts) */
	origins: string[];
}

let config: BasemapConfig | null = null;

export function basemapConfig(): BasemapConfig {
	if (config) return config;
	const none: BasemapConfig = { styleUrl: null, style: null, tileDir: null, pmtilesFile: null, displayCrs: 'wgs84', origins: [] };
	try {
		const styleUrl = publicEnv.PUBLIC_MAP_STYLE_URL || env.MAP_STYLE_URL || null;
		const preset: BasemapPreset | null = styleUrl ? null : parsePreset(env.MAP_PRESET);
		const tileDir = preset === 'tiles' ? env.MAP_TILE_DIR || null : null;
		const maxZoom = env.MAP_TILE_MAXZOOM ? Number(env.MAP_TILE_MAXZOOM) : undefined;
		if (maxZoom !== undefined && !(Number.isInteger(maxZoom) && maxZoom >= 0 && maxZoom <= 22)) throw new Error(`MAP_TILE_MAXZOOM 应为 0–22 的整数：“${env.MAP_TILE_MAXZOOM}”`);
		const pmtilesFile = preset === 'pmtiles' ? env.MAP_PMTILES_FILE || null : null;
		if (preset === 'pmtiles' && !pmtilesFile) throw new Error('MAP_PMTILES_FILE 未设置：PMTiles 底图需要 .pmtiles 文件的路径');
		const style = preset && preset !== 'pmtiles' ? presetStyle(preset, { tk: env.MAP_TIANDITU_TK, tilesUrl: tileDir ? BASE_TILES_URL : undefined, maxZoom }) : null;
		// a style URL says its datum by setting (default WGS84); a preset knows its own
		const crsSetting = parseDisplayCrs(env.MAP_DISPLAY_CRS);
		config = {
			styleUrl: styleUrl ?? (style || pmtilesFile ? PRESET_STYLE_URL : null),
			style, tileDir, pmtilesFile,
			displayCrs: styleUrl ? (crsSetting ?? 'wgs84') : presetCrs(preset),
			origins: [...new Set([...mapOrigins(styleUrl, env.MAP_ORIGINS), ...presetOrigins(preset)])]
		};
	} catch (e) {
		console.error(`[config] 底图设置有误，使用离线底图：${(e as Error).message}`);
		config = none;
	}
	return config;
}

let archive: Promise<PmtilesArchive> | null = null;

/** The configured PMTiles file, opened once (header and metadata read); null when none is configured. */
export function pmtilesArchive(): Promise<PmtilesArchive> | null {
	const { pmtilesFile } = basemapConfig();
	if (!pmtilesFile) return null;
	// a file that could not be read is a 404 with the reason (the map falls back to its offline base
	// map), and is tried again on the next request (it may still be being copied in)
	archive ??= openPmtiles(pmtilesFile).catch((e) => {
		console.error(`[config] 底图设置有误：${(e as Error).message}`);
		archive = null;
		throw notFound((e as Error).message);
	});
	return archive;
}

/** The preset's MapLibre style, or null when none is configured (PMTiles: made from the file's header). */
export async function baseStyle(): Promise<Record<string, unknown> | null> {
	const { style } = basemapConfig();
	if (style) return style;
	const a = pmtilesArchive();
	if (!a) return null;
	const { info } = await a;
	return presetStyle('pmtiles', { pmtilesUrl: BASE_PMTILES_URL, pmtiles: info });
}
