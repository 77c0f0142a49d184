// The photo attached at 点单.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { intParam, notFound } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { dbFor } from '$lib/server/access/request';
import { api } from '$lib/server/http/respond';
import { photoDir } from '$lib/server/requests/report';

const TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export const GET = api(async (event) => {
	requireUser(event);
	const id = intParam(event.params.id, 'id', '诉求编号', 1, Number.MAX_SAFE_INTEGER);
	const [r] = await (await dbFor(event)).sql<{ photo_path: string | null }>`SELECT photo_path FROM requests WHERE id = ${id}`;
	if (!r?.photo_path || !/^[\w-]+\.(jpg|png|webp)$/.test(r.photo_path)) throw notFound('该诉求没有照片');
	const bytes = readFileSync(path.join(photoDir(), r.photo_path));
	return new Response(bytes, { headers: { 'content-type': TYPES[r.photo_path.split('.').pop()!], 'cache-control': 'private, max-age=86400', vary: 'cookie' } });
});
