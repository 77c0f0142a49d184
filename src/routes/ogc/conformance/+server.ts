// OGC API – Features conformance declaration.
import { checkFormat, CONFORMANCE } from '$lib/domain/ogc';
import { ogc, ogcJson } from '$lib/server/ogc/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url }) => ogc(async () => (checkFormat(url.searchParams), ogcJson({ conformsTo: CONFORMANCE })));
