// The base map the installation configured, read once from the environment:
//   MAP_STYLE_URL (or PUBLIC_MAP_STYLE_URL)  any MapLibre style; wins over a preset
//   MAP_PRESET=tianditu-vec|tianditu-img + MAP_TIANDITU_TK   天地图 with the district's key
//   MAP_PRESET=tiles + MAP_TILE_DIR (+ MAP_TILE_MAXZOOM)      a folder of {z}/{x}/{y}.png|jpg|webp tiles
//   MAP_ORIGINS                                          further origins a style fetches from
// A bad setting is logged once with its name, and the map keeps its offline base map (and says so).
import { env } from '$env/dynamic/private';
import { env as publicEnv } from '$env/dynamic/public';
import { parsePreset, presetOrigins, presetStyle, type BasemapPreset } from '../../domain/basemapPresets';
import { mapOrigins } from '../../domain/csp';

/** Where the app serves a preset's style and the tile folder. */
export const PRESET_STYLE_URL = '/api/map/base-style';
export const BASE_TILES_URL = '/api/map/base-tiles/{z}/{x}/{y}';

export interface BasemapConfig {
	/** what the map page loads instead of the offline base map, or null */
	styleUrl: string | null;
	/** a preset's style (served at PRESET_STYLE_URL) */
	style: Record<string, unknown> | null;
	/** the tile folder MAP_TILE_DIR (preset `tiles`) */
	tileDir: string | null;
	/** origins the Content-Security-Policy must allow (domain/csp.ts) */
	origins: string[];
}

let config: BasemapConfig | null = null;

export function basemapConfig(): BasemapConfig {
	if (config) return config;
	const none: BasemapConfig = { styleUrl: null, style: null, tileDir: null, origins: [] };
	try {
		const styleUrl = publicEnv.PUBLIC_MAP_STYLE_URL || env.MAP_STYLE_URL || null;
		const preset: BasemapPreset | null = styleUrl ? null : parsePreset(env.MAP_PRESET);
		const tileDir = preset === 'tiles' ? env.MAP_TILE_DIR || null : null;
		const maxZoom = env.MAP_TILE_MAXZOOM ? Number(env.MAP_TILE_MAXZOOM) : undefined;
		if (maxZoom !== undefined && !(Number.isInteger(maxZoom) && maxZoom >= 0 && maxZoom <= 22)) throw new Error(`MAP_TILE_MAXZOOM 应为 0–22 的整数：“${env.MAP_TILE_MAXZOOM}”`);
		const style = preset ? presetStyle(preset, { tk: env.MAP_TIANDITU_TK, tilesUrl: tileDir ? BASE_TILES_URL : undefined, maxZoom }) : null;
		config = {
			styleUrl: styleUrl ?? (style ? PRESET_STYLE_URL : null),
			style, tileDir,
			origins: [...new Set([...mapOrigins(styleUrl, env.MAP_ORIGINS), ...presetOrigins(preset)])]
		};
	} catch (e) {
		console.error(`[config] 底图设置有误，使用离线底图：${(e as Error).message}`);
		config = none;
	}
	return config;
}
