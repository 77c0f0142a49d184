// OGC API – Features service description (OpenAPI 3.0).
import { OPENAPI_TYPE } from '$lib/domain/ogc';
import { openApi } from '$lib/server/ogc/documents';
import { COLLECTIONS } from '$lib/server/ogc/features';
import { ogc, ogcBase, ogcJson } from '$lib/server/ogc/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url }) => ogc(async () => ogcJson(openApi(ogcBase(url), COLLECTIONS), OPENAPI_TYPE));
