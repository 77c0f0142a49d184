// Open311 GeoReport v2: GET services/{service_code}.{json,xml}, the service definition.
import { splitFormat } from '$lib/domain/open311';
import { ready } from '$lib/server/db/database';
import { requireJurisdiction, serviceDefinition } from '$lib/server/open311/georeport';
import { open311, open311Response, open311Xml } from '$lib/server/open311/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, url }) =>
	open311(() => splitFormat(params.code)[1], async () => {
		const [code, f] = splitFormat(params.code);
		const db = await ready();
		await requireJurisdiction(db, url.searchParams.get('jurisdiction_id'));
		const def = await serviceDefinition(db, code);
		// the XML form is a single <service_definition>, not a list
		return f === 'json'
			? open311Response(f, '', '', def)
			: open311Xml(`<?xml version="1.0" encoding="utf-8"?>\n<service_definition><service_code>${code.replace(/[<&>]/g, '')}</service_code><attributes/></service_definition>\n`);
	});
