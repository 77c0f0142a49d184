// What a KPI view is about when it names no area or department: the user's own — a leader's
// jurisdiction, a grid manager's grids, a department's own work. /kpi, /api/kpi and its trends read
// a query the same way, so the page and the API never give two answers to one question (a
// department's figures had counted the requests whistled to it from other departments through the
// API, not on the page). "全部" in the page's form is an explicit choice (area present, empty).
import { commonArea } from '../../domain/maparea';
import type { RequestFilter } from '../../domain/requestfilter';
import type { SessionUser } from '../auth/user';
import type { Queryable } from '../db/client';
import { userArea } from '../queries/userArea';

export async function ownKpiFilter(db: Queryable, user: SessionUser, q: URLSearchParams, f: RequestFilter): Promise<RequestFilter> {
	const own = { ...f };
	if (!q.has('area')) own.area = user.jurisdiction ?? commonArea((await userArea(db))?.grids);
	if (!q.has('department') && user.role === 'department_staff') own.department = user.departmentId;
	return own;
}
