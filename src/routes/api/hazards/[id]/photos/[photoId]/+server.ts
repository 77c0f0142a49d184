// One photo of a hazard (发现, 整改前, 整改后: hazard_photos, 0020), for whoever may see the hazard.
import { intParam, notFound } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api } from '$lib/server/http/respond';
import { readHazardPhoto } from '$lib/server/hazards/photos';

export const GET = api(async (event) => {
	requireUser(event);
	const id = intParam(event.params.id, 'id', '隐患编号', 1, 2_147_483_647);
	const photoId = intParam(event.params.photoId, 'photoId', '照片编号', 1, Number.MAX_SAFE_INTEGER);
	const photo = await readHazardPhoto(await dbFor(event), id, photoId);
	if (!photo) throw notFound('没有这张照片', 'photoId');
	return new Response(photo.bytes as BodyInit, { headers: { 'content-type': photo.type, 'cache-control': 'private, max-age=86400', vary: 'cookie' } });
});
