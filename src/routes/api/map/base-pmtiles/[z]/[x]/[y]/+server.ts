// GET /api/map/base-pmtiles/{z}/{x}/{y}: a tile of the configured PMTiles file (MAP_PRESET=pmtiles,
// MAP_PMTILES_FILE; server/map/pmtilesFile.ts), as stored (decompressed); 404 when the file has no
// such tile or no file is configured.
import { notFound } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { api } from '$lib/server/http/respond';
import { pmtilesArchive } from '$lib/server/map/basemapConfig';

export const GET = api(async (event) => {
	requireUser(event);
	const archive = pmtilesArchive();
	if (!archive) throw notFound('未配置 PMTiles 底图（MAP_PRESET=pmtiles 与 MAP_PMTILES_FILE）');
	const a = await archive;
	const body = await a.tile(event.params.z, event.params.x, event.params.y);
	// the file changes only when the installation is updated: a day in the browser is safe
	return new Response(body, { headers: { 'content-type': a.type, 'cache-control': 'private, max-age=86400' } });
});
