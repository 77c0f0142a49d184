// 时限 rules per category and priority. GET: all of them; PUT {categoryCode, priority,
// acceptWorkingDays, resolveWorkingDays, whistleReportHours}: change one (admins). New rules
// apply from the next 派单; deadlines already set stay as they were promised.
import { badParam, enumParam } from '$lib/domain/apierror';
import { ruleProblem } from '$lib/domain/deadlines';
import { requireUser } from '$lib/server/auth';
import { ready } from '$lib/server/database';
import { api, jsonResponse } from '$lib/server/queries/http';
import { readJson } from '$lib/server/requests/http';

export const GET = api(async (event) => {
	requireUser(event);
	const rows = await (await ready()).sql`
		SELECT r.category_code AS "categoryCode", c.name AS "categoryName", r.priority, r.accept_working_days AS "acceptWorkingDays",
		       r.resolve_working_days AS "resolveWorkingDays", r.whistle_report_hours AS "whistleReportHours"
		FROM deadline_rules r JOIN categories c ON c.code = r.category_code ORDER BY r.category_code, r.priority`;
	return jsonResponse({ rules: rows });
});

export const PUT = api(async (event) => {
	requireUser(event, 'admin');
	const b = await readJson(event.request);
	const priority = enumParam(b.priority as string, 'priority', '紧急程度', ['normal', 'urgent'] as const);
	const problem = ruleProblem(b);
	if (problem) throw badParam(problem.field, problem.message);
	const db = await ready();
	const [cat] = await db.sql`SELECT 1 FROM categories WHERE code = ${String(b.categoryCode ?? '')}`;
	if (!cat) throw badParam('categoryCode', `没有这个诉求类别（categoryCode）：“${b.categoryCode ?? ''}”`);
	const [row] = await db.sql`
		INSERT INTO deadline_rules VALUES (${b.categoryCode}, ${priority}, ${b.acceptWorkingDays}, ${b.resolveWorkingDays}, ${b.whistleReportHours})
		ON CONFLICT (category_code, priority) DO UPDATE SET accept_working_days = EXCLUDED.accept_working_days,
		  resolve_working_days = EXCLUDED.resolve_working_days, whistle_report_hours = EXCLUDED.whistle_report_hours
		RETURNING category_code AS "categoryCode", priority, accept_working_days AS "acceptWorkingDays",
		  resolve_working_days AS "resolveWorkingDays", whistle_report_hours AS "whistleReportHours"`;
	return jsonResponse(row);
});
