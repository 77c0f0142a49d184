// OGC API – Features: one feature by its id (grid code, hazard code, request code).
import { checkFormat, GEOJSON, OgcError } from '$lib/domain/ogc';
import { ready } from '$lib/server/db/database';
import { asUser } from '$lib/server/access/userdb';
import { collectionFor, readItems } from '$lib/server/ogc/features';
import { geojson, keyQuery, ogc, ogcBase, ogcUser } from '$lib/server/ogc/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => ogc(async () => {
	checkFormat(event.url.searchParams);
	const user = await ogcUser(event);
	const def = collectionFor(event.params.cid, user);
	const db = def.restricted && user ? asUser(await ready(), user) : await ready();
	const { features } = await readItems(db, def, user, { bbox: null, datetime: null, limit: 1, offset: 0 }, event.params.fid);
	if (!features.length) throw new OgcError(404, 'NotFound', `集合 ${def.id} 中没有要素“${event.params.fid}”`);
	const collection = `${ogcBase(event.url)}/collections/${def.id}`;
	return geojson({
		...features[0],
		links: [
			{ href: `${collection}/items/${encodeURIComponent(event.params.fid)}${keyQuery(event.url)}`, rel: 'self', type: GEOJSON },
			{ href: `${collection}${keyQuery(event.url)}`, rel: 'collection', type: 'application/json', title: def.title }
		]
	});
});
