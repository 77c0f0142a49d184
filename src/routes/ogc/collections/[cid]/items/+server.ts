// OGC API – Features items: ?bbox=&limit=&offset=&datetime=, with numberMatched and next/prev links.
import { pageLinks, parseItemsQuery } from '$lib/domain/ogc';
import { isoCst } from '$lib/domain/time';
import { ready } from '$lib/server/db/database';
import { asUser } from '$lib/server/access/userdb';
import { collectionFor, readItems } from '$lib/server/ogc/features';
import { geojson, keyQuery, ogc, ogcBase, ogcUser, publicUrl } from '$lib/server/ogc/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => ogc(async () => {
	const user = await ogcUser(event);
	const def = collectionFor(event.params.cid, user);
	const q = parseItemsQuery(event.url.searchParams);
	// the restricted collection (hazards) is read as its user, under row-level security; the public
	// views (grids, the Open311 face of requests) are the same for everyone
	const db = def.restricted && user ? asUser(await ready(), user) : await ready();
	const { matched, features } = await readItems(db, def, user, q);
	const collection = `${ogcBase(event.url)}/collections/${def.id}`;
	return geojson({
		type: 'FeatureCollection', features, numberMatched: matched, numberReturned: features.length, timeStamp: isoCst(new Date()),
		links: [...pageLinks(publicUrl(event.url), q, matched), { href: `${collection}${keyQuery(event.url)}`, rel: 'collection', type: 'application/json', title: def.title }]
	});
});
