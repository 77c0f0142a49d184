// One photo of a request (现场照片, 处置前, 处置后: request_photos, 0016), for whoever may see the request.
import { intParam, notFound } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api } from '$lib/server/http/respond';
import { readPhoto } from '$lib/server/requests/photos';

export const GET = api(async (event) => {
	requireUser(event);
	const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
	const photoId = intParam(event.params.photoId, 'photoId', '照片编号', 1, Number.MAX_SAFE_INTEGER);
	const photo = await readPhoto(await dbFor(event), id, photoId);
	if (!photo) throw notFound('没有这张照片', 'photoId');
	// a photo never changes once written (0016): the browser may keep it
	return new Response(photo.bytes as BodyInit, { headers: { 'content-type': photo.type, 'cache-control': 'private, max-age=86400', vary: 'cookie' } });
});
