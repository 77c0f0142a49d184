// 关爱对象 (care lists): households whose registered tags put them on a care list are visited every
// N days; a 关爱走访 (care visit) records the situation, the help given (帮扶) and the next step.
// Pure: the frequencies in force, the due/overdue rule and the care-visit input, shared by the
// server's SQL (src/lib/server/care), the workspace and the admin page.
import { badParam } from './apierror';
import { HOUSEHOLD_TAG } from './labels';
import { localDate } from './time';

/**
 * Default days between two care visits per household tag (null: not a care tag). Our defaults, not
 * a cited rule: weekly for people living alone or under 社区矫正, fortnightly for children left
 * behind and the gravest hardship, monthly for the rest; admins change them (/admin/care).
 */
export const DEFAULT_CARE_DAYS: Readonly<Record<string, number | null>> = {
	elderly_alone: 7,
	community_correction: 7,
	left_behind_child: 14,
	extreme_poverty: 14,
	serious_illness: 14,
	disabled: 30,
	low_income: 30,
	empty_nest: 30,
	veteran: null
};
export const CARE_TAG_CODES = Object.keys(HOUSEHOLD_TAG);
export const CARE_DAYS_MAX = 365;

/**
 * 临期 (due) starts this many Beijing days before the deadline, so a worker can plan the week; a
 * weekly household is due from its 5th day (never more than frequency − 1 days early).
 */
export const CARE_WARN_DAYS = 3;
export const warnDays = (interval: number): number => Math.max(0, Math.min(CARE_WARN_DAYS, interval - 1));

/** Days per tag in force: the configured rows over the defaults (a row's null takes the tag off). */
export function careDaysInForce(configured: ReadonlyMap<string, number | null>): Record<string, number | null> {
	const out: Record<string, number | null> = {};
	for (const tag of CARE_TAG_CODES) out[tag] = configured.has(tag) ? configured.get(tag)! : (DEFAULT_CARE_DAYS[tag] ?? null);
	return out;
}

/** A household's frequency: the strictest (fewest days) of its care tags; null when it has none. */
export function householdCareDays(tags: readonly string[], days: Readonly<Record<string, number | null>>): number | null {
	let best: number | null = null;
	for (const t of tags) {
		const d = days[t];
		if (d != null && (best === null || d < best)) best = d;
	}
	return best;
}

export type CareState = 'overdue' | 'due' | 'ok';

/** Whole days from Beijing date a to b ('YYYY-MM-DD'), b − a. */
export const dayDiff = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/**
 * THE due rule (the SQL of src/lib/server/care/due.ts says the same): the deadline is the Beijing
 * day of the last care visit plus the household's frequency. Only a 关爱走访 counts — a plain
 * 敲门 records no 帮扶 and does not reset the clock. A visit on the deadline day is on time; the
 * household is overdue (逾期) from the day after, due (临期) from warnDays before it; never visited
 * is overdue. `daysLeft`: deadline − today (negative: days overdue).
 */
export function careState(lastVisitDay: string | null, interval: number, now: Date = new Date()): { state: CareState; deadline: string | null; daysLeft: number | null } {
	if (lastVisitDay === null) return { state: 'overdue', deadline: null, daysLeft: null };
	const today = localDate(now);
	const deadline = localDate(Date.parse(`${lastVisitDay}T00:00:00+08:00`) + interval * 86_400_000);
	const daysLeft = dayDiff(today, deadline);
	return { state: daysLeft < 0 ? 'overdue' : daysLeft <= warnDays(interval) ? 'due' : 'ok', deadline, daysLeft };
}

/** 帮扶 kinds. `none`: visited, no help needed this time. */
export const HELP_KIND: Readonly<Record<string, string>> = {
	none: '本次无需帮扶',
	daily_care: '生活照料',
	health: '医疗健康',
	material: '物资/资金',
	policy: '政策办理',
	emotional: '心理疏导',
	safety: '安全检查',
	other: '其他'
};
export const HELP_KIND_CODES = Object.keys(HELP_KIND);
export const CARE_TEXT_MAX = 500;
/** How far back a care visit recorded offline may be dated when it reaches the server. */
export const CARE_BACKDATE_DAYS = 30;
const FUTURE_SLACK_MS = 5 * 60_000;

export interface CareVisitInput {
	householdId: number;
	situation: string;
	helpKind: string;
	helpText: string | null;
	nextStep: string | null;
	/** when the visit happened (an offline outbox says); else the server's now */
	visitedAt: string | null;
}

function text(raw: unknown, field: string, label: string): string | null {
	if (raw === undefined || raw === null) return null;
	if (typeof raw !== 'string') throw badParam(field, `${label}（${field}）必须是文字`);
	const v = raw.trim();
	if (v.length > CARE_TEXT_MAX) throw badParam(field, `${label}（${field}）不能超过 ${CARE_TEXT_MAX} 个字，现在 ${v.length} 个`);
	return v || null;
}

/** A care visit from a JSON body or form fields; the first bad field is refused by name. */
export function parseCareVisit(b: Record<string, unknown>, now = new Date()): CareVisitInput {
	const id = Number(b.householdId);
	if (!Number.isSafeInteger(id) || id < 1 || !/^\d+$/.test(String(b.householdId ?? ''))) throw badParam('householdId', '住户编号（householdId）必须是正整数');
	const situation = text(b.situation, 'situation', '状况');
	if (!situation) throw badParam('situation', '请填写走访时看到的状况（situation）');
	const helpKind = b.helpKind;
	if (typeof helpKind !== 'string' || !HELP_KIND_CODES.includes(helpKind)) {
		throw badParam('helpKind', `请选择帮扶方式（helpKind），可选：${HELP_KIND_CODES.map((c) => `${c}（${HELP_KIND[c]}）`).join('、')}`);
	}
	const helpText = text(b.helpText, 'helpText', '帮扶内容');
	if (helpKind !== 'none' && !helpText) throw badParam('helpText', '请写明给予的帮扶内容（helpText）');
	const nextStep = text(b.nextStep, 'nextStep', '下一步');
	let visitedAt: string | null = null;
	if (b.visitedAt !== undefined && b.visitedAt !== null && b.visitedAt !== '') {
		const t = typeof b.visitedAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(b.visitedAt) ? new Date(b.visitedAt) : null;
		if (!t || Number.isNaN(t.getTime())) throw badParam('visitedAt', `走访时间（visitedAt）必须是 ISO 8601 时间，收到 ${JSON.stringify(b.visitedAt)}`);
		if (t.getTime() > now.getTime() + FUTURE_SLACK_MS) throw badParam('visitedAt', '走访时间（visitedAt）不能晚于现在');
		if (t.getTime() < now.getTime() - CARE_BACKDATE_DAYS * 86_400_000) throw badParam('visitedAt', `走访时间（visitedAt）不能早于 ${CARE_BACKDATE_DAYS} 天前`);
		visitedAt = t.toISOString();
	}
	return { householdId: id, situation, helpKind, helpText, nextStep, visitedAt };
}

/** One admin's change to a tag's frequency: days 1–365, '' back to the default, 'off' not a care tag. */
export function parseCareDays(tag: string, raw: unknown): number | null | 'default' {
	const label = HOUSEHOLD_TAG[tag] ?? tag;
	if (!CARE_TAG_CODES.includes(tag)) throw badParam(tag, `“${tag.slice(0, 40)}”不是住户标签，可选：${CARE_TAG_CODES.join('、')}`);
	const v = raw === null || raw === undefined ? '' : String(raw).trim();
	if (v === '') return 'default';
	if (v === 'off') return null;
	if (!/^\d{1,3}$/.test(v) || Number(v) < 1 || Number(v) > CARE_DAYS_MAX) throw badParam(tag, `${label}的走访周期（${tag}）须为 1 到 ${CARE_DAYS_MAX} 之间的整数天，收到“${v.slice(0, 20)}”`);
	return Number(v);
}

/**
 * 关爱走访按时率, one visit history: deadlines falling in [fromDay, toDay] (each visit's day + the
 * frequency) that have passed by `today` or were met, and of those the ones met by the next visit on
 * or before the deadline. A household never visited counts one missed deadline in every period
 * (it is overdue throughout). The SQL of server/care/kpi.ts counts the same; tests hold them equal.
 */
export function careOnTime(visitDays: readonly string[], interval: number, fromDay: string, toDay: string, today: string): { due: number; onTime: number } {
	const days = [...visitDays].filter((d) => d <= toDay).sort();
	if (!days.length) return { due: 1, onTime: 0 };
	let due = 0, onTime = 0;
	for (let i = 0; i < days.length; i++) {
		const deadline = localDate(Date.parse(`${days[i]}T00:00:00+08:00`) + interval * 86_400_000);
		if (deadline < fromDay || deadline > toDay) continue;
		const met = i + 1 < days.length && days[i + 1] <= deadline;
		if (!met && deadline >= today) continue; // still open
		due++;
		if (met) onTime++;
	}
	return { due, onTime };
}
