// Open311 service discovery at the root as well (/open311/discovery.json|xml), where GeoReport
// clients look first; the same document as /open311/v2/discovery.*.
import { discoveryXml, Open311Error, splitFormat } from '$lib/domain/open311';
import { discoveryFor } from '$lib/server/open311/georeport';
import { open311, open311Response, open311Xml } from '$lib/server/open311/http';
import { publicUrl } from '$lib/server/ogc/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, url }) =>
	open311(() => splitFormat(params.file)[1], async () => {
		const [name, f] = splitFormat(params.file);
		if (name !== 'discovery') throw new Open311Error(404, `没有资源“${name}”：服务发现见 discovery.json，接口在 /open311/v2/`);
		const d = discoveryFor(`${publicUrl(url).origin}/open311/v2`);
		return f === 'json' ? open311Response(f, '', '', d) : open311Xml(discoveryXml(d));
	});
