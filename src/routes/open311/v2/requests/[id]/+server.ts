// Open311 GeoReport v2: GET requests/{service_request_id}.{json,xml}, a list of one.
import { splitFormat } from '$lib/domain/open311';
import { ready } from '$lib/server/db/database';
import { getOpen311Request, requireJurisdiction } from '$lib/server/open311/georeport';
import { open311, open311Response } from '$lib/server/open311/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, url }) =>
	open311(() => splitFormat(params.id)[1], async () => {
		const [id, f] = splitFormat(params.id);
		const db = await ready();
		await requireJurisdiction(db, url.searchParams.get('jurisdiction_id'));
		const { id: _, ...r } = await getOpen311Request(db, id);
		return open311Response(f, 'service_requests', 'request', [r]);
	});
