// 接口密钥 (admins): GET the keys (never the keys themselves), POST {name, userId?} makes one and
// shows it once, DELETE ?id= revokes. A key acts as its user for Open311 POST and the OGC API.
import { badParam, intParam } from '$lib/domain/apierror';
import { requireUser } from '$lib/server/auth/user';
import { ready } from '$lib/server/db/database';
import { asUser } from '$lib/server/access/userdb';
import { createApiKey, listApiKeys, revokeApiKey } from '$lib/server/open311/keys';
import { api, jsonResponse } from '$lib/server/http/respond';
import { readJson } from '$lib/server/http/body';

export const GET = api(async (event) => {
	const admin = requireUser(event, 'admin');
	return jsonResponse({ keys: await listApiKeys(asUser(await ready(), admin)) });
});

export const POST = api(async (event) => {
	const admin = requireUser(event, 'admin');
	const body = await readJson(event.request);
	if (typeof body.name !== 'string') throw badParam('name', '请填写密钥名称（name）');
	const userId = body.userId === undefined ? admin.id : intParam(String(body.userId), 'userId', '用户', 1, 1e9);
	return jsonResponse(await createApiKey(asUser(await ready(), admin), userId, body.name), 201);
});

export const DELETE = api(async (event) => {
	const admin = requireUser(event, 'admin');
	const id = intParam(event.url.searchParams.get('id'), 'id', '密钥', 1, 1e9);
	return jsonResponse({ revoked: await revokeApiKey(asUser(await ready(), admin), id) });
});
