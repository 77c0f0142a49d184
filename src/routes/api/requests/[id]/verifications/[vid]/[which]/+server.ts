// A 核查 photo: 'after' (整改后) or 'before' (整改前, when taken at the verification rather than chosen
// from the request's own photos), for whoever may see the request.
import { badParam, intParam, notFound } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api } from '$lib/server/http/respond';
import { readVerificationPhoto } from '$lib/server/requests/verification';

export const GET = api(async (event) => {
	requireUser(event);
	const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
	const vid = intParam(event.params.vid, 'vid', '核查编号', 1, Number.MAX_SAFE_INTEGER);
	const which = event.params.which;
	if (which !== 'before' && which !== 'after') throw badParam('which', '照片只能是 before（整改前）或 after（整改后）');
	const photo = await readVerificationPhoto(await dbFor(event), id, vid, which);
	if (!photo) throw notFound('没有这张照片', 'which');
	// written once (0033): the browser may keep it
	return new Response(photo.bytes as BodyInit, { headers: { 'content-type': photo.type, 'cache-control': 'private, max-age=86400', vary: 'cookie' } });
});
