// OGC API – Features landing page.
import { checkFormat } from '$lib/domain/ogc';
import { landing } from '$lib/server/ogc/documents';
import { keyQuery, ogc, ogcBase, ogcJson } from '$lib/server/ogc/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url }) => ogc(async () => (checkFormat(url.searchParams), ogcJson(landing(ogcBase(url), keyQuery(url)))));
