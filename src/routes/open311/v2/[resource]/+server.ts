// Open311 GeoReport v2: GET services.{json,xml}, GET requests.{json,xml}, POST requests.{json,xml},
// GET discovery.{json,xml}; every method refuses a jurisdiction_id that is not ours.
import { discoveryXml, Open311Error, parseOpen311Post, parseOpen311Query, splitFormat } from '$lib/domain/open311';
import { ready } from '$lib/server/db/database';
import { discoveryFor, listOpen311Requests, listServices, postOpen311Request, requireJurisdiction } from '$lib/server/open311/georeport';
import { open311, open311Fields, open311Response, open311Xml } from '$lib/server/open311/http';
import { userFromApiKey } from '$lib/server/open311/keys';
import { publicUrl } from '$lib/server/ogc/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, url }) => {
	const format = () => splitFormat(params.resource)[1];
	return open311(format, async () => {
		const [resource, f] = splitFormat(params.resource);
		const db = await ready();
		await requireJurisdiction(db, url.searchParams.get('jurisdiction_id'));
		if (resource === 'discovery') {
			const d = discoveryFor(`${publicUrl(url).origin}/open311/v2`);
			return f === 'json' ? open311Response(f, '', '', d) : open311Xml(discoveryXml(d));
		}
		if (resource === 'services') return open311Response(f, 'services', 'service', await listServices(db));
		if (resource === 'requests') {
			const rows = await listOpen311Requests(db, parseOpen311Query(url.searchParams));
			return open311Response(f, 'service_requests', 'request', rows.map(({ id: _, ...r }) => r));
		}
		throw new Open311Error(404, `没有资源“${resource}”：可选 discovery、services、requests`);
	});
};

export const POST: RequestHandler = ({ params, request, url }) => {
	const format = () => splitFormat(params.resource)[1];
	return open311(format, async () => {
		const [resource, f] = splitFormat(params.resource);
		if (resource !== 'requests') throw new Open311Error(405, '只有 requests 接受 POST');
		const fields = await open311Fields(request);
		const db = await ready();
		await requireJurisdiction(db, fields.jurisdiction_id || url.searchParams.get('jurisdiction_id'));
		// the standard puts api_key among the fields; some clients send it in the query string
		const key = fields.api_key || url.searchParams.get('api_key');
		const user = await userFromApiKey(db, key);
		if (!user) throw new Open311Error(key ? 403 : 401, key ? '接口密钥无效或已吊销' : '提交诉求需要接口密钥', 'api_key');
		const receipt = await postOpen311Request(db, user, parseOpen311Post(fields));
		return open311Response(f, 'service_requests', 'request', receipt, 201);
	});
};
