// GET /api/map/base-tiles/{z}/{x}/{y}: a tile of the configured tile folder (MAP_PRESET=tiles,
// MAP_TILE_DIR); 404 when there is no such tile or no folder is configured.
import { notFound } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { api } from '$lib/server/http/respond';
import { basemapConfig } from '$lib/server/map/basemapConfig';
import { baseTile } from '$lib/server/map/baseTiles';

export const GET = api(async (event) => {
	requireUser(event);
	const { tileDir } = basemapConfig();
	if (!tileDir) throw notFound('未配置瓦片目录（MAP_PRESET=tiles 与 MAP_TILE_DIR）');
	const { body, type } = await baseTile(tileDir, event.params.z, event.params.x, event.params.y);
	// the folder changes only when the installation is updated: a day in the browser is safe
	return new Response(new Uint8Array(body), { headers: { 'content-type': type, 'cache-control': 'private, max-age=86400' } });
});
