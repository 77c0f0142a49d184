// Open311 GeoReport v2: GET services/{service_code}.{json,xml}, the service definition.
import { splitFormat } from '$lib/domain/open311';
import { ready } from '$lib/server/db/database';
import { serviceDefinition } from '$lib/server/open311/georeport';
import { open311, open311Response } from '$lib/server/open311/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params }) =>
	open311(() => splitFormat(params.code)[1], async () => {
		const [code, f] = splitFormat(params.code);
		const def = await serviceDefinition(await ready(), code);
		// the XML form is a single <service_definition>, not a list
		return f === 'json'
			? open311Response(f, '', '', def)
			: new Response(`<?xml version="1.0" encoding="utf-8"?>\n<service_definition><service_code>${code.replace(/[<&>]/g, '')}</service_code><attributes/></service_definition>\n`,
				{ headers: { 'content-type': 'text/xml; charset=utf-8', 'access-control-allow-origin': '*' } });
	});
