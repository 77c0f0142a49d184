// OGC API – Features: the collections this caller may read.
import { checkFormat, JSON_TYPE } from '$lib/domain/ogc';
import { ready } from '$lib/server/db/database';
import { collectionDoc } from '$lib/server/ogc/documents';
import { collectionsFor, extent } from '$lib/server/ogc/features';
import { keyQuery, ogc, ogcBase, ogcJson, ogcUser } from '$lib/server/ogc/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => ogc(async () => {
	checkFormat(event.url.searchParams);
	const base = ogcBase(event.url);
	const bbox = await extent(await ready());
	return ogcJson({
		links: [{ href: `${base}/collections${keyQuery(event.url)}`, rel: 'self', type: JSON_TYPE, title: '要素集合' }],
		collections: collectionsFor(await ogcUser(event)).map((c) => collectionDoc(base, c, bbox, keyQuery(event.url)))
	});
});
