// 时限 rules and statutory holidays: read and changed here by the API and the admin page alike.
// A changed rule applies from the next 派单; deadlines already set stay as they were promised.
import { badParam, enumParam } from '../../domain/apierror';
import { ruleProblem, type DeadlineRule } from '../../domain/deadlines';
import type { Queryable } from '../db/client';

export interface RuleRow extends DeadlineRule {
	categoryCode: string;
	categoryName: string;
	priority: 'normal' | 'urgent';
}

export function listRules(db: Queryable): Promise<RuleRow[]> {
	return db.sql<RuleRow>`
		SELECT r.category_code AS "categoryCode", c.name AS "categoryName", r.priority, r.accept_working_days AS "acceptWorkingDays",
		       r.resolve_working_days AS "resolveWorkingDays", r.whistle_report_hours AS "whistleReportHours"
		FROM deadline_rules r JOIN categories c ON c.code = r.category_code ORDER BY r.category_code, r.priority`;
}

/** Validates and upserts one rule; bad input is an ApiError naming the field, and nothing is written. */
export async function saveRule(db: Queryable, b: Record<string, unknown>): Promise<Omit<RuleRow, 'categoryName'>> {
	const priority = enumParam(b.priority as string, 'priority', '紧急程度', ['normal', 'urgent'] as const);
	const problem = ruleProblem(b);
	if (problem) throw badParam(problem.field, problem.message);
	const [cat] = await db.sql`SELECT 1 FROM categories WHERE code = ${String(b.categoryCode ?? '')}`;
	if (!cat) throw badParam('categoryCode', `没有这个诉求类别（categoryCode）：“${b.categoryCode ?? ''}”`);
	const [row] = await db.sql<Omit<RuleRow, 'categoryName'>>`
		INSERT INTO deadline_rules VALUES (${b.categoryCode}, ${priority}, ${b.acceptWorkingDays}, ${b.resolveWorkingDays}, ${b.whistleReportHours})
		ON CONFLICT (category_code, priority) DO UPDATE SET accept_working_days = EXCLUDED.accept_working_days,
		  resolve_working_days = EXCLUDED.resolve_working_days, whistle_report_hours = EXCLUDED.whistle_report_hours
		RETURNING category_code AS "categoryCode", priority, accept_working_days AS "acceptWorkingDays",
		  resolve_working_days AS "resolveWorkingDays", whistle_report_hours AS "whistleReportHours"`;
	return row;
}

/** Statutory holidays ('YYYY-MM-DD', CST) from app_meta 'holidays'; none when not configured. */
export async function holidays(db: Queryable): Promise<Set<string>> {
	const [row] = await db.sql<{ value: unknown }>`SELECT value FROM app_meta WHERE key = 'holidays'`;
	return new Set(Array.isArray(row?.value) ? (row.value as string[]) : []);
}

/** Parses one date a line (or separated by commas/spaces); every bad line is named. */
export function parseHolidays(text: string): string[] {
	const items = text.split(/[\s,，、]+/).filter(Boolean);
	const isDate = (d: string) => {
		const t = Date.parse(`${d}T00:00:00Z`);
		return /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
	};
	const bad = items.filter((d) => !isDate(d));
	if (bad.length) throw badParam('holidays', `节假日须写成 YYYY-MM-DD，以下无法识别：${bad.slice(0, 5).join('、')}${bad.length > 5 ? ` 等 ${bad.length} 项` : ''}`);
	if (items.length > 400) throw badParam('holidays', `节假日最多 400 天，收到 ${items.length} 天`);
	return [...new Set(items)].sort();
}

export async function saveHolidays(db: Queryable, days: string[]): Promise<void> {
	await db.sql`INSERT INTO app_meta (key, value) VALUES ('holidays', ${JSON.stringify(days)}::jsonb)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`;
}

/** 销号前需核查 per leaf category (categories.verify_required, domain/verification.ts). */
export function listVerifySettings(db: Queryable) {
	return db.sql<{ code: string; name: string; parent: string | null; required: boolean }>`
		SELECT c.code, c.name, p.name AS parent, c.verify_required AS required
		FROM categories c LEFT JOIN categories p ON p.code = c.parent_code
		WHERE c.parent_code IS NOT NULL ORDER BY c.code`;
}

/** Sets 销号前需核查 for exactly the `required` categories (the admin's ticked boxes); unknown codes are refused. */
export async function saveVerifySettings(db: Queryable, required: string[]): Promise<number> {
	const known = new Set((await listVerifySettings(db)).map((c) => c.code));
	const bad = required.filter((c) => !known.has(c));
	if (bad.length) throw badParam('verify', `没有这个诉求类别（verify）：${bad.slice(0, 3).join('、')}`);
	await db.sql`UPDATE categories SET verify_required = (code = ANY(${required}::text[])) WHERE parent_code IS NOT NULL`;
	return required.length;
}
