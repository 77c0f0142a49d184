// GET /api/export/{layer}.{geojson|csv|xlsx}?<filters>: a layer or a filtered list as a file
// (grids, areas, households, hazards, requests, visits).
// Filters: area, bbox; hazards hazard_status, hazard_type; requests the /requests list's own
// (status, overdue, category, kind, department, pairing, from, to, q, kpi, part). unmask=1 with a
// reason gives the whole personal data to those allowed, logged. CSV/XLSX are for people (Chinese
// headers and labels, real dates) unless codes=1 asks for names and stored codes.
import { enumParam } from '$lib/domain/apierror';
import { parseExportTarget } from '$lib/domain/exportspec';
import { requireUser } from '$lib/server/auth/user';
import { visibleGridCodes } from '$lib/server/auth/visibility';
import { dbFor } from '$lib/server/access/request';
import { exportLayer } from '$lib/server/export/export';
import { parseExportQuery } from '$lib/server/export/layers';
import { api } from '$lib/server/http/respond';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const [layer, format] = parseExportTarget(event.params.target ?? '');
	const db = await dbFor(event);
	const p = event.url.searchParams;
	const query = parseExportQuery(p, await visibleGridCodes(db, user));
	const unmaskReason = p.get('unmask') === '1' ? (p.get('reason') ?? '') : null;
	const codes = enumParam(p.get('codes') ?? '0', 'codes', '编码选项', ['0', '1'] as const) === '1';
	const file = await exportLayer(db, user, layer, query, format, { unmaskReason, codes, describe: p.toString() });
	return new Response(file.body, { headers: file.headers });
});
