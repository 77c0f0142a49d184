// Validation of a new request (点单) and of a move's inputs, shared by the JSON API and the form.
// Pure: returns the clean value or the first problem with its field and a Chinese message.
import { ApiError, badParam } from './apierror';

export type RequestKind = 'request' | 'petition' | 'dispute' | 'wish';
export const KINDS: readonly RequestKind[] = ['request', 'petition', 'dispute', 'wish'];
export const CHANNELS = ['grid', 'door_knock', 'hotline_12345', 'petition', 'snapshot', 'visit', 'whistle'] as const;
export const PRIORITIES = ['normal', 'urgent'] as const;
/** Query parameters /requests/new is opened with to prefill a report (e.g. 转为诉求 from a door-knock). */
export const PREFILL_PARAMS = ['householdId', 'lon', 'lat', 'categoryCode', 'description', 'address', 'channel'] as const;

export interface NewRequest {
	kind: RequestKind;
	categoryCode: string;
	channel: (typeof CHANNELS)[number];
	priority: (typeof PRIORITIES)[number];
	title: string;
	description: string;
	lon: number;
	lat: number;
	address: string | null;
	reporterName: string | null;
	reporterPhone: string | null;
	householdId: number | null;
	leaderId: number | null;
	mediatorId: number | null;
	details: Record<string, unknown>;
}

export const text = (raw: unknown, field: string, label: string, max: number, required: boolean): string | null => {
	if (raw === undefined || raw === null || raw === '') {
		if (required) throw badParam(field, `请填写${label}（${field}）`);
		return null;
	}
	if (typeof raw !== 'string') throw badParam(field, `${label}（${field}）必须是文字`);
	const v = raw.trim();
	if (required && !v) throw badParam(field, `请填写${label}（${field}）`);
	if (v.length > max) throw badParam(field, `${label}（${field}）不能超过 ${max} 个字，现在 ${v.length} 个`);
	return v || null;
};

export const coordinate = (raw: unknown, field: 'lon' | 'lat'): number => {
	const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	const [lo, hi, label] = field === 'lon' ? [-180, 180, '经度'] : [-90, 90, '纬度'];
	if (typeof n !== 'number' || !Number.isFinite(n)) throw badParam(field, `请在地图上选择位置：缺少${label}（${field}）`);
	if (n < lo || n > hi) throw badParam(field, `${label}（${field}）必须在 ${lo}–${hi} 之间，收到 ${n}`);
	return n;
};

export const optionalId = (raw: unknown, field: string, label: string): number | null => {
	if (raw === undefined || raw === null || raw === '') return null;
	const n = Number(raw);
	if (!Number.isSafeInteger(n) || n <= 0) throw badParam(field, `${label}（${field}）必须是正整数，收到 ${JSON.stringify(raw)}`);
	return n;
};

export function oneOf<T extends string>(raw: unknown, field: string, label: string, allowed: readonly T[], fallback: T): T {
	if (raw === undefined || raw === null || raw === '') return fallback;
	if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
	throw badParam(field, `未知的${label}（${field}）：${JSON.stringify(raw)}，可选：${allowed.join('、')}`);
}

/** A clean NewRequest from a JSON body or form fields; throws ApiError(400) naming the field. */
export function parseNewRequest(body: unknown): NewRequest {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'invalid_body', '请求体必须是 JSON 对象');
	const b = body as Record<string, unknown>;
	const categoryCode = text(b.categoryCode, 'categoryCode', '诉求类别', 64, true)!;
	const description = text(b.description, 'description', '问题描述', 2000, true)!;
	const kind = oneOf(b.kind, 'kind', '诉求类型', KINDS, 'request');
	const phone = text(b.reporterPhone, 'reporterPhone', '联系电话', 20, false);
	if (phone && !/^[0-9+\-\s]{5,20}$/.test(phone)) throw badParam('reporterPhone', `联系电话（reporterPhone）格式不对：“${phone}”`);
	const out: NewRequest = {
		kind,
		categoryCode,
		channel: oneOf(b.channel, 'channel', '来源渠道', CHANNELS, kind === 'petition' ? 'petition' : 'grid'),
		priority: oneOf(b.priority, 'priority', '紧急程度', PRIORITIES, 'normal'),
		title: text(b.title, 'title', '标题', 100, false) ?? description.slice(0, 30),
		description,
		lon: coordinate(b.lon, 'lon'),
		lat: coordinate(b.lat, 'lat'),
		address: text(b.address, 'address', '地址', 200, false),
		reporterName: text(b.reporterName, 'reporterName', '反映人', 50, false),
		reporterPhone: phone,
		householdId: optionalId(b.householdId, 'householdId', '住户编号'),
		leaderId: optionalId(b.leaderId, 'leaderId', '包案领导'),
		mediatorId: optionalId(b.mediatorId, 'mediatorId', '调解员'),
		details: {}
	};
	if (kind === 'petition' && out.leaderId === null) throw badParam('leaderId', '信访件必须指定包案领导（leaderId）');
	const petitioners = optionalId(b.petitioners, 'petitioners', '信访人数');
	if (petitioners) out.details.petitioners = petitioners;
	const parties = text(b.parties, 'parties', '纠纷当事人', 200, false);
	if (parties) out.details.parties = parties;
	return out;
}

/** An idempotency key from a header or field: printable, 8–128 characters. */
export function parseIdempotencyKey(raw: string | null | undefined): string | null {
	if (raw === null || raw === undefined || raw === '') return null;
	if (!/^[\x21-\x7e]{8,128}$/.test(raw)) throw badParam('Idempotency-Key', '幂等键（Idempotency-Key）必须是 8–128 个可打印 ASCII 字符');
	return raw;
}

/** The expected version from If-Match ("3" or W/"3") or a form/body field. */
export function parseVersion(raw: unknown, field = 'version'): number | null {
	if (raw === undefined || raw === null || raw === '') return null;
	const s = String(raw).trim().replace(/^W\//, '').replace(/^"|"$/g, '');
	const n = Number(s);
	if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n < 1) throw badParam(field, `版本号（${field}）必须是正整数，收到 ${JSON.stringify(raw)}`);
	return n;
}
