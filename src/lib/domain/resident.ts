// 网上点单: the residents' own channel (issue 19). A signed-out resident reports a problem from a
// phone, gets a tracking code (跟踪码), follows the case with the code and the last four digits of
// the phone, and rates it (评单) once it is resolved. Pure: the parsing, the code, the arithmetic
// challenge (验证题) and the plain-Chinese stages the resident sees. The server supplies the
// randomness and the MAC, so every rule here is testable without a server.
import { badParam, ApiError } from './apierror';
import { text } from './requestinput';
import type { RequestAction } from './workflow';

/** 跟踪码 letters: digits and capitals without 0/O, 1/I/L (read out over the phone, typed on a phone). */
export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** 10 letters of 31: ~49.5 bits, so guessing one among a million open codes takes ~10⁹ tries (and the phone's last 4 digits on top). */
export const TRACKING_LENGTH = 10;
/** Photos a resident may attach (staff may attach PHOTO_MAX_COUNT). */
export const RESIDENT_PHOTO_MAX = 3;
/** One resident photo at most (the phone resizes to ~0.3 MB first; an unresized picture is refused). */
export const RESIDENT_PHOTO_MAX_BYTES = 1.5 * 1024 * 1024;
/** A whole submission: three photos and the text fields. */
export const RESIDENT_BODY_MAX_BYTES = 5 * 1024 * 1024;
/** How long a 验证题 may be answered after it was shown (ms). */
export const CHALLENGE_TTL_MS = 30 * 60_000;
/** The honeypot field: hidden from people (and from screen readers), filled in by form-filling robots. */
export const HONEYPOT_FIELD = 'website';

/**
 * A tracking code from random bytes (`random(n)` returns n bytes, e.g. crypto.getRandomValues).
 * Bytes ≥ 248 are dropped (rejection sampling): 248 = 8 × 31, so every letter is equally likely.
 */
export function trackingCode(random: (n: number) => Uint8Array): string {
	let out = '';
	while (out.length < TRACKING_LENGTH) {
		for (const b of random(16)) {
			if (b >= 248 || out.length === TRACKING_LENGTH) continue;
			out += TRACKING_ALPHABET[b % 31];
		}
	}
	return out;
}

/** A typed code cleaned up (case, spaces, dashes; O→0 and I/L→1 are not letters of ours, so no guessing), or null when it cannot be one. */
export function normaliseTrackingCode(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	const s = raw.toUpperCase().replace(/[\s-]/g, '');
	return s.length === TRACKING_LENGTH && [...s].every((c) => TRACKING_ALPHABET.includes(c)) ? s : null;
}

/**
 * A phone number a department can call back: a mainland mobile (11 digits from 13–19) or a
 * landline with its area code (0 + 2–3 digits, then 7–8 digits; a dash allowed). Spaces dropped.
 */
export function parseResidentPhone(raw: unknown): string {
	const v = text(raw, 'phone', '联系电话', 20, true)!.replace(/[\s]/g, '');
	if (!/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/.test(v)) {
		throw badParam('phone', '联系电话（phone）请填写 11 位手机号，或带区号的固定电话（如 0731-12345678）');
	}
	return v;
}

/** The last four digits of a phone: what the resident types with the code to open the case. */
export const phoneTail = (phone: string): string => phone.replace(/\D/g, '').slice(-4);

export interface ResidentReport {
	categoryCode: string;
	description: string;
	/** the grid the resident picked, when no point was given */
	gridCode: string | null;
	lon: number | null;
	lat: number | null;
	address: string | null;
	phone: string;
}

const coordinateOrNull = (raw: unknown, field: 'lon' | 'lat', lo: number, hi: number): number | null => {
	if (raw === undefined || raw === null || raw === '') return null;
	const n = Number(raw);
	if (!Number.isFinite(n) || n < lo || n > hi) throw badParam(field, `位置（${field}）不对：${JSON.stringify(raw)}`);
	return n;
};

/** A resident's submission from form fields; throws ApiError(400) naming the first bad field. */
export function parseResidentReport(b: Record<string, unknown>): ResidentReport {
	if (typeof b[HONEYPOT_FIELD] === 'string' && b[HONEYPOT_FIELD] !== '') {
		// a robot filled the field people never see: refused without saying which field gave it away
		throw new ApiError(400, 'rejected', '提交未被受理，请刷新页面后重新填写');
	}
	const categoryCode = text(b.categoryCode, 'categoryCode', '问题类别', 64, true)!;
	const description = text(b.description, 'description', '问题描述', 1000, true)!;
	if (description.length < 5) throw badParam('description', '问题描述（description）请至少写 5 个字，说清楚是什么问题');
	const lon = coordinateOrNull(b.lon, 'lon', -180, 180);
	const lat = coordinateOrNull(b.lat, 'lat', -90, 90);
	if ((lon === null) !== (lat === null)) throw badParam(lon === null ? 'lon' : 'lat', '位置（lon/lat）经纬度必须同时给出');
	const gridCode = text(b.gridCode, 'gridCode', '所在网格', 32, false);
	if (gridCode !== null && !/^\d{15}$/.test(gridCode)) throw badParam('gridCode', `所在网格（gridCode）不对：“${gridCode}”`);
	const address = text(b.address, 'address', '详细地址', 200, lon === null);
	if (lon === null && gridCode === null) throw badParam('gridCode', '请选择问题所在的社区和网格（gridCode）');
	return { categoryCode, description, gridCode, lon, lat, address, phone: parseResidentPhone(b.phone) };
}

// ── 验证题: a server-signed sum in Chinese words, answered in digits ───────────────────────────
// The token carries a nonce, its expiry and a MAC over (nonce, expiry, answer) with a key only the
// server knows; the answer itself is not in it. The server refuses a nonce seen before (the
// database records each one, 0027), so one solved question cannot be replayed for many posts.

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/** 0–99 in Chinese words: 七, 十二, 三十, 四十五. */
export function chineseNumber(n: number): string {
	if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`chineseNumber: 0–99, got ${n}`);
	if (n <= 10) return DIGITS[n];
	const [t, u] = [Math.floor(n / 10), n % 10];
	return `${t === 1 ? '' : DIGITS[t]}十${u ? DIGITS[u] : ''}`;
}

export interface Challenge { question: string; answer: number }

/** A sum or difference of small numbers (`rand()` in [0, 1)); the answer is 6–30, never negative. */
export function makeChallenge(rand: () => number): Challenge {
	const a = 6 + Math.floor(rand() * 15);
	const b = 1 + Math.floor(rand() * 10);
	return rand() < 0.5
		? { question: `${chineseNumber(a)}加${chineseNumber(b)}等于几？`, answer: a + b }
		: { question: `${chineseNumber(a + b)}减${chineseNumber(b)}等于几？`, answer: a };
}

/** What the MAC covers. */
const macInput = (nonce: string, expires: number, answer: number) => `resident-challenge|${nonce}|${expires}|${answer}`;

/** The token a page carries with its question: `nonce.expiry.mac` (expiry in ms since 1970). */
export function challengeToken(nonce: string, expires: number, answer: number, mac: (s: string) => string): string {
	if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) throw new RangeError('challengeToken: nonce must be 16–64 URL-safe characters');
	return `${nonce}.${expires}.${mac(macInput(nonce, expires, answer))}`;
}

/**
 * Checks a typed answer against its token; returns the nonce (to be recorded as used) and expiry,
 * or throws a 400 naming `challenge`. `equal` compares MACs in constant time (the server's).
 */
export function verifyChallenge(
	token: unknown, rawAnswer: unknown, now: number, mac: (s: string) => string, equal: (a: string, b: string) => boolean
): { nonce: string; expires: number } {
	const parts = typeof token === 'string' ? token.split('.') : [];
	if (parts.length !== 3 || !/^\d{1,15}$/.test(parts[1])) throw badParam('challenge', '验证题（challenge）无效，请刷新页面重新答题');
	const [nonce, exp, sig] = parts;
	const answerText = typeof rawAnswer === 'string' ? rawAnswer.trim() : '';
	if (!/^\d{1,3}$/.test(answerText)) throw badParam('challengeAnswer', '请用数字回答验证题（challengeAnswer），例如 12');
	const expires = Number(exp);
	if (expires < now) throw badParam('challenge', '验证题已过期，请重新答题');
	if (!equal(sig, mac(macInput(nonce, expires, Number(answerText))))) throw badParam('challengeAnswer', '验证题（challengeAnswer）答错了，请重新计算');
	return { nonce, expires };
}

// ── what the resident sees: stages in plain words, no staff names or phones ─────────────────────

/** One step of the timeline as the resident reads it; `department` is the unit, never a person. */
export function residentStage(action: RequestAction | 'report', department: string | null, byResident: boolean): string {
	const unit = department ?? '责任单位';
	switch (action) {
		case 'report': return '您的诉求已提交（网上点单）';
		case 'dispatch': return `已派单至${unit}`;
		case 'redispatch': return `已改派至${unit}`;
		case 'return': return `${unit}退回，待重新派单`;
		case 'accept': return `${unit}已接单，正在办理`;
		case 'escalate': return '已吹哨，多个部门共同办理';
		case 'checkin': return `${unit}已报到`;
		case 'resolve': return '已办结，请您评价';
		case 'evaluate': return byResident ? '您已评价' : '已回访评价';
		case 'close': return '已销号，办理结束';
		case 'reopen': return '已返工，重新办理';
		case 'void': return '经审核不予立案，已作废';
		case 'merge': return '与反映同一问题的诉求合并办理';
		case 'extend': return `${unit}的延期申请已获批准，办结时限顺延`;
	}
}

export type ResidentSatisfaction = 'satisfied' | 'basic' | 'unsatisfied';

/** A resident's 评单 from form fields: the same two answers the staff evaluate action takes. */
export function parseResidentRating(b: Record<string, unknown>): { satisfaction: ResidentSatisfaction; solved: boolean } {
	const satisfaction = b.satisfaction;
	if (satisfaction !== 'satisfied' && satisfaction !== 'basic' && satisfaction !== 'unsatisfied') {
		throw badParam('satisfaction', '请选择满意程度（satisfaction）：满意、基本满意或不满意');
	}
	if (b.solved !== 'true' && b.solved !== 'false') throw badParam('solved', '请选择问题是否已解决（solved）');
	return { satisfaction, solved: b.solved === 'true' };
}
