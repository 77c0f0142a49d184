// 巡查 (patrol): a grid worker walks their grid and records where they went. Tracking happens only
// between the worker's own 开始巡查 and 结束巡查 (the page says so); the phone samples GPS fixes
// (keepFix), keeps them offline, and sends the whole patrol once at the end. The rules the phone, the
// server and the tests share.
import { badParam } from './apierror';

/** A fix less accurate than this (metres) is dropped: it would draw the worker through houses. */
export const PATROL_MAX_ACCURACY_M = 100;
/** Sampling: a new fix is kept when this many seconds passed since the last kept one … */
export const PATROL_SAMPLE_S = 10;
/** … or the worker moved this far (metres), whichever comes first. */
export const PATROL_SAMPLE_M = 15;
/** A patrol is at most this long (hours) and this many fixes: a day's walk, sampled as above. */
export const PATROL_MAX_HOURS = 12;
export const PATROL_MAX_FIXES = 5000;
/** Patrols are kept this many days unless PATROL_KEEP_DAYS says otherwise (then deleted). */
export const PATROL_KEEP_DAYS_DEFAULT = 180;

export interface Fix {
	/** ms since the epoch */
	t: number;
	lon: number;
	lat: number;
	/** metres (the Geolocation API's coords.accuracy) */
	acc: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine on the mean Earth radius: < 0.5 % from the ellipsoid). */
export function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
	const dLat = rad(b.lat - a.lat), dLon = rad(b.lon - a.lon);
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The length of a track in metres. */
export const trackLength = (fixes: readonly Fix[]): number =>
	fixes.reduce((sum, f, i) => (i === 0 ? 0 : sum + metres(fixes[i - 1], f)), 0);

/** Whether the phone keeps `next` after the last kept fix `last`: accurate enough, and far or late enough. */
export function keepFix(last: Fix | null, next: Fix): boolean {
	if (!(next.acc <= PATROL_MAX_ACCURACY_M)) return false;
	if (!last) return true;
	return next.t - last.t >= PATROL_SAMPLE_S * 1000 || metres(last, next) >= PATROL_SAMPLE_M;
}

export interface PatrolInput {
	/** the phone's id for this patrol (a UUID): a resend records nothing twice */
	clientId: string;
	startedAt: Date;
	endedAt: Date;
	fixes: Fix[];
	note: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function instant(raw: unknown, field: string, label: string): Date {
	const d = typeof raw === 'string' || typeof raw === 'number' ? new Date(raw) : null;
	if (!d || Number.isNaN(d.getTime())) throw badParam(field, `${label}（${field}）应为时间（ISO 8601），收到“${String(raw)}”`);
	return d;
}

/**
 * A finished patrol from the phone (JSON). Refuses, naming the field: a start after the end, a patrol
 * in the future or longer than PATROL_MAX_HOURS, a fix outside the patrol's time or off the map, and
 * more than PATROL_MAX_FIXES fixes. Fixes less accurate than PATROL_MAX_ACCURACY_M are dropped, not refused
 * (the phone already drops them; an older phone's outbox may not).
 */
export function parsePatrol(b: Record<string, unknown>, now = new Date()): PatrolInput {
	const clientId = typeof b.clientId === 'string' ? b.clientId.trim() : '';
	if (!UUID.test(clientId)) throw badParam('clientId', '巡查编号（clientId）应为 UUID');
	const startedAt = instant(b.startedAt, 'startedAt', '开始时间');
	const endedAt = instant(b.endedAt, 'endedAt', '结束时间');
	if (endedAt <= startedAt) throw badParam('endedAt', '结束时间（endedAt）应晚于开始时间');
	// a phone's clock may run a little ahead of the server's
	if (endedAt.getTime() > now.getTime() + 5 * 60_000) throw badParam('endedAt', '结束时间（endedAt）晚于当前时间：请检查手机时间');
	if (endedAt.getTime() - startedAt.getTime() > PATROL_MAX_HOURS * 3600_000) {
		throw badParam('endedAt', `一次巡查最长 ${PATROL_MAX_HOURS} 小时：请分次记录`);
	}
	if (!Array.isArray(b.fixes)) throw badParam('fixes', '轨迹（fixes）应为定位点列表');
	if (b.fixes.length > PATROL_MAX_FIXES) throw badParam('fixes', `轨迹（fixes）最多 ${PATROL_MAX_FIXES} 个定位点，收到 ${b.fixes.length} 个`);
	const fixes: Fix[] = [];
	b.fixes.forEach((raw, i) => {
		const f = raw as Record<string, unknown>;
		const [t, lon, lat, acc] = [f?.t, f?.lon, f?.lat, f?.acc].map(Number);
		const where = `fixes[${i}]`;
		if (![t, lon, lat, acc].every(Number.isFinite)) throw badParam(where, `第 ${i + 1} 个定位点（${where}）应有 t、lon、lat、acc 四个数`);
		if (lon < 73 || lon > 136 || lat < 3 || lat > 54) throw badParam(where, `第 ${i + 1} 个定位点（${where}）不在中国境内：${lon}, ${lat}`);
		if (t < startedAt.getTime() - 1000 || t > endedAt.getTime() + 1000) throw badParam(where, `第 ${i + 1} 个定位点（${where}）不在巡查时间内`);
		if (fixes.length && t < fixes[fixes.length - 1].t) throw badParam(where, `第 ${i + 1} 个定位点（${where}）早于前一个点：应按时间顺序`);
		if (acc <= PATROL_MAX_ACCURACY_M && acc >= 0) fixes.push({ t, lon, lat, acc });
	});
	const note = typeof b.note === 'string' && b.note.trim() ? b.note.trim() : null;
	if (note && [...note].length > 300) throw badParam('note', '备注（note）最多 300 个字');
	return { clientId: clientId.toLowerCase(), startedAt, endedAt, fixes, note };
}

/** How long (days) patrols are kept: PATROL_KEEP_DAYS when it is a whole number of days ≥ 1. */
export function patrolKeepDays(raw: string | undefined): number {
	const n = Number(raw);
	return raw && Number.isInteger(n) && n >= 1 ? n : PATROL_KEEP_DAYS_DEFAULT;
}

/** "1 小时 5 分" for a duration in ms. */
export function durationLabel(ms: number): string {
	const min = Math.round(ms / 60_000);
	return min >= 60 ? `${Math.floor(min / 60)} 小时 ${min % 60} 分` : `${min} 分`;
}

/** "1.2 公里" or "350 米". */
export const distanceLabel = (m: number): string => (m >= 1000 ? `${(m / 1000).toFixed(1)} 公里` : `${Math.round(m)} 米`);
