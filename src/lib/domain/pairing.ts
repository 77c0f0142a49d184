// 包联 (pairing): a leader answers for some villages/communities, key projects and enterprises
// (屈原: 16 leaders ↔ 32 villages, 44 projects, 59 enterprises) and visits them regularly
// (定期联系走访). The rules the list, the map and the forms share.
import { badParam, enumParam, intParam } from './apierror';
import { localDate } from './time';

export const PAIRING_KINDS = ['area', 'project', 'enterprise'] as const;
export type PairingKind = (typeof PAIRING_KINDS)[number];
export const PAIRING_KIND_LABEL: Record<PairingKind, string> = { area: '村/社区', project: '项目', enterprise: '企业' };

/**
 * A project or an enterprise is a point: the requests and hazards within this distance are its
 * open items, and a visit stop this close is a visit to it (a site and its gate, a compound).
 */
export const PAIRING_RADIUS_M = 300;

/** 定期联系走访: a pairing not visited for this many days is 待走访 (due a visit). */
export const PAIRING_VISIT_DAYS = 90;

/** Due a visit: none since `since` (the last visit, or the pairing's start) for PAIRING_VISIT_DAYS days. */
export function pairingDue(lastVisit: string | null, startedOn: string, today: string): boolean {
	const since = lastVisit && lastVisit > startedOn ? lastVisit : startedOn;
	return (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${since}T00:00:00Z`)) / 86_400_000 >= PAIRING_VISIT_DAYS;
}

export interface PairingInput {
	kind: PairingKind;
	name: string;
	/** the 12-digit village/community code, for kind 'area' */
	areaCode: string | null;
	/** where a project or enterprise is (WGS84) */
	lon: number | null;
	lat: number | null;
	note: string | null;
	/** whose pairing: admins name the leader, a leader is always themself */
	leaderId: number;
	startedOn: string;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v == null ? '' : String(v).trim());

function date(raw: string, field: string, label: string): string {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`)) || new Date(`${raw}T00:00:00Z`).toISOString().slice(0, 10) !== raw) {
		throw badParam(field, `${label}（${field}）应为 YYYY-MM-DD 格式的日期，收到“${raw}”`);
	}
	return raw;
}

function coord(raw: unknown, field: 'lon' | 'lat', min: number, max: number): number {
	const n = Number(text(raw));
	if (text(raw) === '' || !Number.isFinite(n) || n < min || n > max) {
		throw badParam(field, `${field === 'lon' ? '经度' : '纬度'}（${field}）应在 ${min}–${max} 之间：请在地图上点选位置`);
	}
	return n;
}

/**
 * A pairing from a form or JSON body; `self` is the signed-in user: a leader pairs themself, an
 * admin must name the leader. Every refusal names its field.
 */
export function parsePairing(b: Record<string, unknown>, self: { id: number; role: string }, now = new Date()): PairingInput {
	const kind = enumParam(text(b.kind), 'kind', '包联类型', PAIRING_KINDS);
	const name = text(b.name);
	if (!name || name.length > 60) throw badParam('name', '请填写包联对象名称（name），不超过 60 字');
	const areaCode = kind === 'area' ? text(b.areaCode) : null;
	if (kind === 'area' && !/^\d{12}$/.test(areaCode!)) throw badParam('areaCode', '请选择包联的村/社区（areaCode，12 位区划代码）');
	// China's extent: a slip of the finger on the map, or lon/lat swapped, is caught here
	const lon = kind === 'area' ? null : coord(b.lon, 'lon', 73, 136);
	const lat = kind === 'area' ? null : coord(b.lat, 'lat', 3, 54);
	const note = text(b.note) || null;
	if (note && note.length > 500) throw badParam('note', '备注（note）不超过 500 字');
	const leaderId = self.role === 'admin' ? intParam(text(b.leaderId), 'leaderId', '包联领导', 1, 2 ** 31 - 1) : self.id;
	const startedOn = text(b.startedOn) ? date(text(b.startedOn), 'startedOn', '开始日期') : localDate(now);
	return { kind, name, areaCode, lon, lat, note, leaderId, startedOn };
}

/** The end date of a pairing (结束包联): today unless given, never before it started. */
export function parseEnd(raw: unknown, startedOn: string, now = new Date()): string {
	const end = text(raw) ? date(text(raw), 'endedOn', '结束日期') : localDate(now);
	if (end < startedOn) throw badParam('endedOn', `结束日期（endedOn）${end} 早于包联开始日期 ${startedOn}`);
	return end;
}
