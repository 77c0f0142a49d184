// Open311 GeoReport v2: GET services.{json,xml}, GET requests.{json,xml}, POST requests.{json,xml}.
import { Open311Error, parseOpen311Post, parseOpen311Query, splitFormat } from '$lib/domain/open311';
import { ready } from '$lib/server/db/database';
import { listOpen311Requests, listServices, postOpen311Request } from '$lib/server/open311/georeport';
import { open311, open311Fields, open311Response } from '$lib/server/open311/http';
import { userFromApiKey } from '$lib/server/open311/keys';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, url }) => {
	const format = () => splitFormat(params.resource)[1];
	return open311(format, async () => {
		const [resource, f] = splitFormat(params.resource);
		const db = await ready();
		if (resource === 'services') return open311Response(f, 'services', 'service', await listServices(db));
		if (resource === 'requests') {
			const rows = await listOpen311Requests(db, parseOpen311Query(url.searchParams));
			return open311Response(f, 'service_requests', 'request', rows.map(({ id: _, ...r }) => r));
		}
		throw new Open311Error(404, `no such resource "${resource}": services or requests`);
	});
};

export const POST: RequestHandler = ({ params, request, url }) => {
	const format = () => splitFormat(params.resource)[1];
	return open311(format, async () => {
		const [resource, f] = splitFormat(params.resource);
		if (resource !== 'requests') throw new Open311Error(405, 'only requests accepts POST');
		const fields = await open311Fields(request);
		const db = await ready();
		// the standard puts api_key among the fields; some clients send it in the query string
		const key = fields.api_key || url.searchParams.get('api_key');
		const user = await userFromApiKey(db, key);
		if (!user) throw new Open311Error(key ? 403 : 401, key ? 'this api_key is unknown or revoked' : 'an api_key is required to submit', 'api_key');
		const receipt = await postOpen311Request(db, user, parseOpen311Post(fields));
		return open311Response(f, 'service_requests', 'request', receipt, 201);
	});
};
