// 专项行动 (campaigns, issue 19): a time-boxed sweep over an area — "燃气安全入户排查", "消防通道专项整治"
// (株洲 fire-safety checks, 屈原 "天然气入户", "走街串巷排隐患") — in which grid workers check every
// household of the area against a short yes/no checklist. A "no" is a finding: it becomes a hazard
// (隐患) that then runs the ordinary 交办→整改→复查→销号 loop (hazardflow.ts).
// Pure: validation with the field named, the campaign's state on a Beijing date, and the one
// definition of its figures (coverage, findings, 销号率). The database keeps the same rules
// (db/migrations/0033_campaigns.sql); tests/unit/campaign.test.ts holds both to them.
import { ApiError, badParam } from './apierror';
import { HAZARD_STATUSES, HAZARD_TYPES, HAZARD_CLOSED, type HazardStatus, type HazardType } from './hazard';
import { isCalendarDate } from './calendardate';
import { text } from './requestinput';

/** 排查对象: households only — the data has no compounds (小区) table, only buildings and households. */
export const CAMPAIGN_TARGETS = ['household'] as const;
export type CampaignTarget = (typeof CAMPAIGN_TARGETS)[number];
export const CAMPAIGN_TARGET_LABEL: Record<CampaignTarget, string> = { household: '住户' };

/** checklist size: fewer than 3 is not a check, more than 12 is not done at a door */
export const CHECKLIST_MIN = 3;
export const CHECKLIST_MAX = 12;
export const CAMPAIGN_NAME_MAX = 40;
export const QUESTION_MAX = 60;
export const CHECK_NOTES_MAX = 300;
/** areas named by one campaign (streets, communities or grids) */
export const CAMPAIGN_AREAS_MAX = 30;
/** a campaign longer than a year is a standing duty, not a 专项行动 */
export const CAMPAIGN_MAX_DAYS = 366;
/** a street, community or grid code (district 6 digits, then 3 per level); the whole district too */
export const AREA_CODE = /^[0-9]{6}(?:[0-9]{3}){0,3}$/;

/** 检查项: a yes/no question; "否" (false) finds a hazard of `hazardType`. */
export interface ChecklistItem { question: string; hazardType: HazardType }

export interface CampaignInput {
	name: string;
	/** first and last day, Beijing dates YYYY-MM-DD, both included */
	startsOn: string;
	endsOn: string;
	/** street / community / grid codes; a household belongs when its grid code starts with one */
	areaCodes: string[];
	hazardTypes: HazardType[];
	target: CampaignTarget;
	checklist: ChecklistItem[];
}

const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

function date(raw: unknown, field: string, label: string): string {
	if (typeof raw !== 'string' || !raw.trim()) throw badParam(field, `请填写${label}（${field}）`);
	const v = raw.trim();
	if (!isCalendarDate(v)) throw badParam(field, `${label}（${field}）必须是日期 YYYY-MM-DD，收到 ${JSON.stringify(raw)}`);
	return v;
}

/** a list from a JSON array, or from a form's comma/space/newline-separated text */
function list(raw: unknown): unknown[] {
	if (raw === undefined || raw === null || raw === '') return [];
	if (Array.isArray(raw)) return raw;
	if (typeof raw === 'string') return raw.split(/[\s,，、]+/).filter(Boolean);
	return [raw];
}

/** A clean CampaignInput from a JSON body or form fields; throws ApiError(400) naming the first bad field. */
export function parseCampaign(body: unknown): CampaignInput {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'invalid_body', '请求体必须是 JSON 对象');
	const b = body as Record<string, unknown>;
	const name = text(b.name, 'name', '行动名称', CAMPAIGN_NAME_MAX, true)!;
	const startsOn = date(b.startsOn, 'startsOn', '开始日期');
	const endsOn = date(b.endsOn, 'endsOn', '结束日期');
	const days = dayNumber(endsOn) - dayNumber(startsOn) + 1;
	if (days < 1) throw badParam('endsOn', `结束日期（endsOn）${endsOn} 不能早于开始日期 ${startsOn}`);
	if (days > CAMPAIGN_MAX_DAYS) throw badParam('endsOn', `行动期限不能超过 ${CAMPAIGN_MAX_DAYS} 天，现在 ${days} 天`);

	const areaCodes = [...new Set(list(b.areaCodes).map((c) => (typeof c === 'string' ? c.trim() : c)))];
	if (!areaCodes.length) throw badParam('areaCodes', '请选择行动范围（areaCodes）：至少一个街道、社区或网格');
	if (areaCodes.length > CAMPAIGN_AREAS_MAX) throw badParam('areaCodes', `行动范围（areaCodes）最多 ${CAMPAIGN_AREAS_MAX} 个区域，收到 ${areaCodes.length} 个`);
	for (const c of areaCodes) {
		if (typeof c !== 'string' || !AREA_CODE.test(c)) throw badParam('areaCodes', `行动范围（areaCodes）中的区划代码无效：${JSON.stringify(c)}（街道 9 位、社区 12 位、网格 15 位数字）`);
	}
	const codes = areaCodes as string[];
	// one code inside another counts its households twice in nobody's favour: keep the outer one only
	const nested = codes.find((c) => codes.some((o) => o !== c && c.startsWith(o)));
	if (nested) throw badParam('areaCodes', `行动范围（areaCodes）中 ${nested} 已包含在另一个所选区域内，请只选其一`);

	const hazardTypes = [...new Set(list(b.hazardTypes))];
	if (!hazardTypes.length) throw badParam('hazardTypes', '请选择排查的隐患类型（hazardTypes），至少一种');
	for (const t of hazardTypes) {
		if (!(HAZARD_TYPES as readonly unknown[]).includes(t)) throw badParam('hazardTypes', `未知的隐患类型（hazardTypes）：${JSON.stringify(t)}，可选：${HAZARD_TYPES.join('、')}`);
	}
	const target = b.target === undefined || b.target === null || b.target === '' ? 'household' : b.target;
	if (!(CAMPAIGN_TARGETS as readonly unknown[]).includes(target)) throw badParam('target', `排查对象（target）只能是：${CAMPAIGN_TARGETS.map((t) => CAMPAIGN_TARGET_LABEL[t]).join('、')}（household），收到 ${JSON.stringify(target)}`);

	if (!Array.isArray(b.checklist)) throw badParam('checklist', `请填写检查项（checklist）：${CHECKLIST_MIN}–${CHECKLIST_MAX} 个是/否问题`);
	const checklist = b.checklist.map((raw, i) => checklistItem(raw, i, hazardTypes as HazardType[]));
	if (checklist.length < CHECKLIST_MIN || checklist.length > CHECKLIST_MAX) {
		throw badParam('checklist', `检查项（checklist）须为 ${CHECKLIST_MIN}–${CHECKLIST_MAX} 项，现在 ${checklist.length} 项`);
	}
	const questions = checklist.map((c) => c.question);
	const dup = questions.find((q, i) => questions.indexOf(q) !== i);
	if (dup) throw badParam('checklist', `检查项（checklist）重复：“${dup}”`);
	return { name, startsOn, endsOn, areaCodes: codes, hazardTypes: hazardTypes as HazardType[], target: target as CampaignTarget, checklist };
}

function checklistItem(raw: unknown, i: number, types: readonly HazardType[]): ChecklistItem {
	const field = `checklist[${i}]`;
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badParam(field, `第 ${i + 1} 个检查项（${field}）必须是 {question, hazardType}`);
	const r = raw as Record<string, unknown>;
	const question = text(r.question, `${field}.question`, `第 ${i + 1} 个检查项的问题`, QUESTION_MAX, true)!;
	if (!types.includes(r.hazardType as HazardType)) {
		throw badParam(`${field}.hazardType`, `第 ${i + 1} 个检查项（${field}.hazardType）发现的隐患类型须是本行动排查的类型之一：${types.join('、')}，收到 ${JSON.stringify(r.hazardType)}`);
	}
	return { question, hazardType: r.hazardType as HazardType };
}

/** What may change once a campaign runs: its name and last day (the checklist is fixed, checks answer it). */
export interface CampaignEdit { name: string; endsOn: string }

export function parseCampaignEdit(body: Record<string, unknown>, startsOn: string): CampaignEdit {
	const name = text(body.name, 'name', '行动名称', CAMPAIGN_NAME_MAX, true)!;
	const endsOn = date(body.endsOn, 'endsOn', '结束日期');
	const days = dayNumber(endsOn) - dayNumber(startsOn) + 1;
	if (days < 1) throw badParam('endsOn', `结束日期（endsOn）${endsOn} 不能早于开始日期 ${startsOn}`);
	if (days > CAMPAIGN_MAX_DAYS) throw badParam('endsOn', `行动期限不能超过 ${CAMPAIGN_MAX_DAYS} 天，现在 ${days} 天`);
	return { name, endsOn };
}

/** 排查记录 as sent from the phone: one answer per checklist item, true = 合格 (yes), false = 发现问题 (no). */
export interface CampaignCheckInput {
	campaignId: number;
	householdId: number;
	answers: boolean[];
	notes: string | null;
	/** when the door was checked (an outbox may send it later); null = now */
	checkedAt: string | null;
}

const positiveId = (raw: unknown, field: string, label: string): number => {
	const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0 || n >= 2 ** 31) throw badParam(field, `请选择${label}（${field}）`);
	return n;
};

export function parseCampaignCheck(body: unknown): CampaignCheckInput {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'invalid_body', '请求体必须是 JSON 对象');
	const b = body as Record<string, unknown>;
	const campaignId = positiveId(b.campaignId, 'campaignId', '专项行动');
	const householdId = positiveId(b.householdId, 'householdId', '住户');
	if (!Array.isArray(b.answers) || !b.answers.length) throw badParam('answers', '请逐项回答检查项（answers）');
	const i = b.answers.findIndex((a) => typeof a !== 'boolean');
	if (i >= 0) throw badParam(`answers[${i}]`, `第 ${i + 1} 个检查项还没有回答（是或否）`);
	if (b.answers.length > CHECKLIST_MAX) throw badParam('answers', `回答（answers）最多 ${CHECKLIST_MAX} 项`);
	let checkedAt: string | null = null;
	if (b.checkedAt !== undefined && b.checkedAt !== null && b.checkedAt !== '') {
		if (typeof b.checkedAt !== 'string' || Number.isNaN(Date.parse(b.checkedAt))) throw badParam('checkedAt', `排查时间（checkedAt）必须是 ISO 时间，收到 ${JSON.stringify(b.checkedAt)}`);
		checkedAt = new Date(b.checkedAt).toISOString();
	}
	return { campaignId, householdId, answers: b.answers as boolean[], notes: text(b.notes, 'notes', '备注', CHECK_NOTES_MAX, false), checkedAt };
}

/** The items answered "否": each finds one hazard of its type. Throws when the answers do not fit the checklist. */
export function failedItems(checklist: readonly ChecklistItem[], answers: readonly boolean[]): ChecklistItem[] {
	if (answers.length !== checklist.length) throw badParam('answers', `本行动有 ${checklist.length} 个检查项，收到 ${answers.length} 个回答`);
	return checklist.filter((_, i) => answers[i] === false);
}

/** The title of the hazard an item finds: the campaign and the question, within the hazard title's 100 characters. */
export const findingTitle = (campaign: string, item: ChecklistItem) => `${campaign}：${item.question}（否）`.slice(0, 100);

export type CampaignState = 'upcoming' | 'active' | 'ended';
export const CAMPAIGN_STATE_LABEL: Record<CampaignState, string> = { upcoming: '未开始', active: '进行中', ended: '已结束' };

/** Where a campaign stands on Beijing date `today`: ended early (endedAt) or past its last day is 已结束. */
export function campaignState(c: { startsOn: string; endsOn: string; endedAt: Date | string | null }, today: string): CampaignState {
	if (c.endedAt || today > c.endsOn) return 'ended';
	return today < c.startsOn ? 'upcoming' : 'active';
}

/** Whether a household's grid lies in the campaign's area. */
export const inArea = (areaCodes: readonly string[], gridCode: string) => areaCodes.some((c) => gridCode.startsWith(c));

/** The counts a campaign's figures come from (per campaign, or per grid / street / unit). */
export interface CampaignCounts {
	/** households in the area (排查对象) */
	targets: number;
	/** households checked at least once */
	checked: number;
	/** checks with at least one "否" */
	findings: number;
	/** hazards the checks found, by their status now */
	hazards: Record<HazardStatus, number>;
}

export interface CampaignFigures extends CampaignCounts {
	/** 覆盖率 = checked ÷ targets */
	coverage: number | null;
	/** 问题发现率 = findings ÷ checked */
	findingRate: number | null;
	/** hazards found, all statuses */
	found: number;
	/** 已销号 */
	closed: number;
	/**
	 * 销号率 = 销号 ÷ found. Not domain.md's 隐患整改率 (by deadline, over a period: kpi.ts): a
	 * campaign asks how much of what it found is done, whenever its deadline falls.
	 */
	closureRate: number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export const noHazards = (): Record<HazardStatus, number> => Object.fromEntries(HAZARD_STATUSES.map((s) => [s, 0])) as Record<HazardStatus, number>;

export function campaignFigures(c: CampaignCounts): CampaignFigures {
	const found = HAZARD_STATUSES.reduce((n, s) => n + (c.hazards[s] ?? 0), 0);
	const closed = c.hazards[HAZARD_CLOSED] ?? 0;
	return { ...c, coverage: ratio(c.checked, c.targets), findingRate: ratio(c.findings, c.checked), found, closed, closureRate: ratio(closed, found) };
}

/** Who defines, edits, ends and reads campaigns' dashboards; grid workers record checks (网格员). */
export const CAMPAIGN_DEFINERS = ['admin', 'leader'] as const;
export const CAMPAIGN_CHECKERS = ['grid_manager'] as const;
export const CAMPAIGN_REFUSAL = '专项行动由管理员和领导定义和查看；网格员请从工作台的“专项行动”入口排查住户';
