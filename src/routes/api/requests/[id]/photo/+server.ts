// The photo attached at 点单.
import { intParam, notFound } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api } from '$lib/server/http/respond';
import { requestPhoto } from '$lib/server/requests/report';

export const GET = api(async (event) => {
	requireUser(event);
	const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
	const photo = await requestPhoto(await dbFor(event), id);
	if (!photo) throw notFound('该诉求没有照片');
	return new Response(photo.bytes as BodyInit, { headers: { 'content-type': photo.type, 'cache-control': 'private, max-age=86400', vary: 'cookie' } });
});
