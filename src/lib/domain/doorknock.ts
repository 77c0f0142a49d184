// 敲门行动: one structured door-knock record — who was met at the door, the household's situation
// as seen there (the households' own tag list, HOUSEHOLD_TAG), needs found and a note — and the
// link that turns what was found into a prefilled 诉求 report. Pure: shared by the JSON API, the
// workspace form and the page.
import { badParam, intParam } from './apierror';
import { HOUSEHOLD_TAG } from './labels';

/** Who opened the door. `nobody`: knocked, nobody home (still a 敲门, so it counts for coverage). */
export const MET: Readonly<Record<string, string>> = {
	head: '本人',
	family: '家属',
	tenant: '租户',
	neighbour: '邻居/知情人',
	nobody: '未遇到'
};
export const MET_CODES = Object.keys(MET);

/** The situation tags a knock may record: the same codes households carry (one list). */
export const SITUATION_TAG_CODES = Object.keys(HOUSEHOLD_TAG);

export const KNOCK_TEXT_MAX = 500;
/** How far back a knock made offline may be dated when it reaches the server. */
export const KNOCK_BACKDATE_DAYS = 30;
/** Clock skew allowed between a phone and the server for `visitedAt`. */
const FUTURE_SLACK_MS = 5 * 60_000;

export interface DoorKnockInput {
	householdId: number;
	/** null only from API clients that send no `met` (the structured form always sends it) */
	met: string | null;
	tags: string[];
	needs: string | null;
	note: string | null;
	/** when the knock happened, if the client says (an offline outbox); else the server's now */
	visitedAt: string | null;
}

const text = (raw: unknown, field: string, label: string): string | null => {
	if (raw === undefined || raw === null) return null;
	if (typeof raw !== 'string') throw badParam(field, `${label}（${field}）必须是文字`);
	const v = raw.trim();
	if (v.length > KNOCK_TEXT_MAX) throw badParam(field, `${label}（${field}）不能超过 ${KNOCK_TEXT_MAX} 个字，现在 ${v.length} 个`);
	return v || null;
};

function tagList(raw: unknown): string[] {
	if (raw === undefined || raw === null || raw === '') return [];
	const list = Array.isArray(raw) ? raw : [raw];
	const out: string[] = [];
	for (const t of list) {
		if (typeof t !== 'string' || !SITUATION_TAG_CODES.includes(t)) {
			const allowed = SITUATION_TAG_CODES.map((c) => `${c}（${HOUSEHOLD_TAG[c]}）`).join('、');
			throw badParam('tags', `未知的住户情况标签（tags）：${JSON.stringify(t)}，可选：${allowed}`);
		}
		if (!out.includes(t)) out.push(t);
	}
	return out;
}

function visitedAt(raw: unknown, now: Date): string | null {
	if (raw === undefined || raw === null || raw === '') return null;
	const t = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(raw) ? new Date(raw) : null;
	if (!t || Number.isNaN(t.getTime())) throw badParam('visitedAt', `走访时间（visitedAt）必须是 ISO 8601 时间，收到 ${JSON.stringify(raw)}`);
	if (t.getTime() > now.getTime() + FUTURE_SLACK_MS) throw badParam('visitedAt', '走访时间（visitedAt）不能晚于现在');
	if (t.getTime() < now.getTime() - KNOCK_BACKDATE_DAYS * 86_400_000) throw badParam('visitedAt', `走访时间（visitedAt）不能早于 ${KNOCK_BACKDATE_DAYS} 天前`);
	return t.toISOString();
}

/**
 * A door-knock from a JSON body or form fields (`tags` an array, or one string per checkbox).
 * `metRequired`: the workspace form asks who was met; the API still takes a bare {householdId, note}
 * from clients written before the structured record.
 */
export function parseDoorKnock(b: Record<string, unknown>, opts: { metRequired: boolean }, now = new Date()): DoorKnockInput {
	const householdId = intParam(b.householdId == null ? null : String(b.householdId), 'householdId', '住户编号', 1, Number.MAX_SAFE_INTEGER);
	let met: string | null = null;
	if (b.met !== undefined && b.met !== null && b.met !== '') {
		if (typeof b.met !== 'string' || !MET_CODES.includes(b.met)) {
			throw badParam('met', `未知的见面对象（met）：${JSON.stringify(b.met)}，可选：${MET_CODES.map((c) => `${c}（${MET[c]}）`).join('、')}`);
		}
		met = b.met;
	} else if (opts.metRequired) throw badParam('met', '请选择见到了谁（met）');
	const tags = tagList(b.tags);
	const needs = text(b.needs, 'needs', '发现的需求');
	const note = text(b.note, 'note', '走访记录');
	if ((tags.length || needs) && !met) throw badParam('met', '填写了住户情况或需求时，请选择见到了谁（met）');
	if (met === 'nobody' && tags.length) throw badParam('tags', '未遇到住户时不能填写住户情况（tags），可在备注里说明');
	if (met === 'nobody' && needs) throw badParam('needs', '未遇到住户时不能填写发现的需求（needs），可在备注里说明');
	return { householdId, met, tags, needs, note, visitedAt: visitedAt(b.visitedAt, now) };
}

/** Labels of tag codes, in the list's order; an unknown code (imported data) as itself. */
export const tagLabels = (tags: readonly string[]): string[] => tags.map((t) => HOUSEHOLD_TAG[t] ?? t);

/**
 * "转为诉求": /requests/new prefilled with the household, its place and what was found, through the
 * agreed query parameters (householdId, lon, lat, description, address, channel).
 */
export function knockToRequestHref(h: { householdId: number; lon: number; lat: number; address: string | null }, needs: string | null): string {
	const q = new URLSearchParams({ householdId: String(h.householdId), lon: h.lon.toFixed(6), lat: h.lat.toFixed(6), channel: 'door_knock' });
	if (needs) q.set('description', needs);
	if (h.address) q.set('address', h.address);
	return `/requests/new?${q}`;
}
