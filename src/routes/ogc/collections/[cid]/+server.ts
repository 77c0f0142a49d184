// OGC API – Features: one collection's description.
import { checkFormat } from '$lib/domain/ogc';
import { ready } from '$lib/server/db/database';
import { collectionDoc } from '$lib/server/ogc/documents';
import { collectionFor, extent } from '$lib/server/ogc/features';
import { keyQuery, ogc, ogcBase, ogcJson, ogcUser } from '$lib/server/ogc/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => ogc(async () => {
	checkFormat(event.url.searchParams);
	const def = collectionFor(event.params.cid, await ogcUser(event));
	return ogcJson(collectionDoc(ogcBase(event.url), def, await extent(await ready()), keyQuery(event.url)));
});
