// 网上点单 on the server: the 验证题 signed with a key derived in the database, the report, the
// follow page's view and the resident's 评单. Every write and every read of a case goes through
// the SECURITY DEFINER functions of 0027 (nobody is signed in, so row-level security has no user);
// the limits per address, per phone and per code are the database's sliding windows (limits.ts).
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { ApiError, badParam } from '../../domain/apierror';
import { checkPhotos, type PhotoInput } from '../../domain/photos';
import {
	CHALLENGE_TTL_MS, RESIDENT_PHOTO_MAX, RESIDENT_PHOTO_MAX_BYTES, challengeToken, makeChallenge, normaliseTrackingCode,
	parseResidentRating, parseResidentReport, residentStage, trackingCode, verifyChallenge
} from '../../domain/resident';
import { checkTransition, requestCode, STATUS_LABEL, type RequestAction, type RequestStatus } from '../../domain/workflow';
import { hit, RateLimited, type Limit } from '../access/limits';
import type { Database, Queryable } from '../db/client';
import { fromDatabaseError } from '../http/errors';
import { listServices } from '../open311/georeport';
import { discardPhotos, storePhotos } from '../requests/photos';
import { gridAt } from '../requests/report';

const WINDOW_MS = 10 * 60_000;
const limit = (name: string, env: string, fallback: number): Limit => ({ name, limit: Number(process.env[env] ?? fallback), windowMs: WINDOW_MS });
/** Reports per address: a household or a small office behind one address reports a few things at most. */
export const RESIDENT_REPORT_IP = limit('resident_report_ip', 'RESIDENT_REPORT_RATE_LIMIT_IP', 10);
/** Reports per phone number (kept as a digest: rate_limit_hits holds no phone). */
export const RESIDENT_REPORT_PHONE = limit('resident_report_phone', 'RESIDENT_REPORT_RATE_LIMIT_PHONE', 3);
/** Follow-page lookups and 评单 per address, right or wrong. */
export const RESIDENT_LOOKUP_IP = limit('resident_lookup_ip', 'RESIDENT_LOOKUP_RATE_LIMIT_IP', 30);
/** Lookups per tracking code: a code's 10 000 phone tails cannot be tried in any useful time. */
export const RESIDENT_LOOKUP_CODE = limit('resident_lookup_code', 'RESIDENT_LOOKUP_RATE_LIMIT_CODE', 10);

async function limited(db: Queryable, hits: [Limit, string][], what: string): Promise<void> {
	for (const [l, key] of hits) {
		const d = await hit(db, l, key);
		if (!d.ok) throw new RateLimited(`${what}过于频繁，请 ${Math.ceil(d.retryAfterS / 60)} 分钟后再试`, d.retryAfterS);
	}
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

// ── 验证题 ────────────────────────────────────────────────────────────────────────────────────
const keys = new WeakMap<object, Promise<string>>();
async function challengeKey(db: Queryable & { system?: object }): Promise<string> {
	const owner = db.system ?? db;
	let key = keys.get(owner);
	if (!key) {
		key = db.sql<{ key: string }>`SELECT resident_challenge_key() AS key`.then((r) => r[0].key);
		keys.set(owner, key);
		key.catch(() => keys.delete(owner));
	}
	return key;
}
const macWith = (key: string) => (s: string) => createHmac('sha256', key).update(s).digest('base64url');
const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** A new question and the token the form sends back with the answer. */
export async function newChallenge(db: Queryable, now = Date.now()): Promise<{ question: string; token: string }> {
	const c = makeChallenge(() => randomInt(0, 1 << 30) / (1 << 30));
	const nonce = randomBytes(18).toString('base64url');
	return { question: c.question, token: challengeToken(nonce, now + CHALLENGE_TTL_MS, c.answer, macWith(await challengeKey(db))) };
}

// ── 网上点单 ──────────────────────────────────────────────────────────────────────────────────
/** The categories a resident may choose: the leaf categories Open311 offers (no 矛盾纠纷, no 微心愿), by group. */
export async function residentCategories(db: Queryable) {
	return (await listServices(db)).map((s) => ({ code: s.service_code, name: s.service_name, group: s.group }));
}

/** The current grids with their community and street, for the place picker. */
export async function residentGrids(db: Queryable) {
	return db.sql<{ code: string; name: string; community: string; street: string }>`
		SELECT g.code, g.name, c.name AS community, s.name AS street
		FROM grids g JOIN areas c ON c.code = g.community_code LEFT JOIN areas s ON s.code = c.parent_code
		WHERE g.valid_to IS NULL ORDER BY s.code, c.code, g.code`;
}

export interface ResidentReceipt { code: string; tracking: string; gridCode: string }

/**
 * A resident's report from form fields and photos: limits, challenge, fields, then one call to
 * resident_report() that writes the request, its event, photos, ticket and the used nonce together.
 */
export async function submitResident(
	db: Database, ip: string, fields: Record<string, unknown>, photos: readonly PhotoInput[], now = new Date()
): Promise<ResidentReceipt> {
	await limited(db, [[RESIDENT_REPORT_IP, ip]], '提交');
	const input = parseResidentReport(fields);
	const { nonce, expires } = verifyChallenge(fields.challenge, fields.challengeAnswer, now.getTime(), macWith(await challengeKey(db)), equal);
	if (photos.length > RESIDENT_PHOTO_MAX) throw badParam('photos', `照片（photos）最多 ${RESIDENT_PHOTO_MAX} 张，收到 ${photos.length} 张`);
	checkPhotos(photos, 'photos');
	const big = photos.findIndex((p) => p.bytes.byteLength > RESIDENT_PHOTO_MAX_BYTES);
	if (big >= 0) throw badParam('photos', `第 ${big + 1} 张照片（photos）太大：请用手机拍照上传，或选择 1.5 MB 以内的图片`);
	if (!(await residentCategories(db)).some((c) => c.code === input.categoryCode)) {
		throw badParam('categoryCode', `请选择问题类别（categoryCode），没有“${input.categoryCode}”这一类`);
	}
	const place = await placeOf(db, input);
	await limited(db, [[RESIDENT_REPORT_PHONE, digest(input.phone)]], '同一电话提交');
	const stored = storePhotos(photos);
	try {
		const [{ id }] = await db.sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('requests', 'id')) AS id`;
		const code = requestCode(id, now);
		const tracking = trackingCode((n) => randomBytes(n));
		const [{ grid }] = await db.sql<{ grid: string }>`
			SELECT resident_report(${id}, ${code}, ${tracking}, ${input.phone}, ${input.categoryCode}, ${input.description.slice(0, 30)},
			  ${input.description}, ${place.lon}, ${place.lat}, ${input.address}, ${JSON.stringify(stored)}::jsonb, ${nonce},
			  ${new Date(expires)}, ${now}) AS grid`;
		return { code, tracking, gridCode: grid };
	} catch (e) {
		discardPhotos(stored);
		const refused = fromDatabaseError(e);
		if (refused?.status === 409) throw new ApiError(409, 'challenge_used', refused.message, 'challenge');
		if (refused?.status === 422) throw new ApiError(400, 'invalid_param', refused.message);
		throw e;
	}
}

/** The point of a report: the one given (checked to be in a grid), else a point inside the chosen grid. */
async function placeOf(db: Queryable, input: { gridCode: string | null; lon: number | null; lat: number | null }) {
	if (input.lon !== null && input.lat !== null) {
		if (!(await gridAt(db, input.lon, input.lat))) throw badParam('lon', '所选位置不在本区任何网格内，请重新选择');
		return { lon: input.lon, lat: input.lat };
	}
	const [g] = await db.sql<{ lon: number; lat: number }>`
		SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE code = ${input.gridCode} AND valid_to IS NULL) x`;
	if (!g) throw badParam('gridCode', `请重新选择所在网格（gridCode）：没有“${input.gridCode}”`);
	return g;
}

// ── 跟踪 and 评单 ─────────────────────────────────────────────────────────────────────────────
export interface ResidentView {
	code: string; status: RequestStatus; statusLabel: string; version: number; category: string; parentCategory: string | null;
	description: string; address: string | null; gridName: string; department: string | null; phone: string | null;
	reportedAt: string; acceptDeadline: string | null; resolveDeadline: string | null; resolvedAt: string | null;
	satisfaction: string | null; solved: boolean | null; photos: number;
	stages: { label: string; at: string }[];
	/** 评单 is open: the state machine allows evaluate now */
	mayRate: boolean;
}

/** The code and tail from form fields, checked, with the lookup limits counted first. */
async function ticketOf(db: Queryable, ip: string, fields: Record<string, unknown>): Promise<{ tracking: string; tail: string }> {
	const tracking = normaliseTrackingCode(fields.tracking);
	await limited(db, [[RESIDENT_LOOKUP_IP, ip], ...(tracking ? [[RESIDENT_LOOKUP_CODE, tracking] as [Limit, string]] : [])], '查询');
	if (!tracking) throw badParam('tracking', '跟踪码（tracking）是 10 位数字和字母，请核对');
	const tail = typeof fields.tail === 'string' ? fields.tail.trim() : '';
	if (!/^\d{4}$/.test(tail)) throw badParam('tail', '请填写提交时所留电话的后 4 位（tail）');
	return { tracking, tail };
}

const notFound = () => new ApiError(404, 'not_found', '跟踪码或手机尾号不对，请核对后再查', 'tracking');

/** What the follow page shows for a code and tail; 404 when they do not match (which one is not said). */
export async function followResident(db: Queryable, ip: string, fields: Record<string, unknown>): Promise<ResidentView> {
	const { tracking, tail } = await ticketOf(db, ip, fields);
	return viewOf(db, tracking, tail);
}

async function viewOf(db: Queryable, tracking: string, tail: string): Promise<ResidentView> {
	const [{ v }] = await db.sql<{ v: Record<string, any> | null }>`SELECT resident_follow(${tracking}, ${tail}) AS v`;
	if (!v) throw notFound();
	const status = v.status as RequestStatus;
	const events = v.events as { action: RequestAction | 'report'; at: string; department: string | null; byResident: boolean }[];
	return {
		code: v.code, status, statusLabel: STATUS_LABEL[status] ?? status, version: v.version, category: v.category, parentCategory: v.parentCategory,
		description: v.description, address: v.address, gridName: v.gridName, department: v.department, phone: v.phone,
		reportedAt: v.reportedAt, acceptDeadline: v.acceptDeadline, resolveDeadline: v.resolveDeadline, resolvedAt: v.resolvedAt,
		satisfaction: v.satisfaction, solved: v.solved, photos: Number(v.photos),
		// 接单 and 办结 record the acting department only when staff act (an admin's move names none): the request's own then
		stages: events.map((e) => ({ label: residentStage(e.action, e.department ?? (e.action === 'accept' ? v.department : null), e.byResident), at: e.at })),
		mayRate: checkTransition(status, 'evaluate', { pendingWhistles: 0, satisfaction: null, solved: null }).ok
	};
}

/** 评单 by the resident: the workflow's evaluate move (resident_evaluate → request_transition). */
export async function rateResident(db: Database, ip: string, fields: Record<string, unknown>, now = new Date()): Promise<ResidentView> {
	const { tracking, tail } = await ticketOf(db, ip, fields);
	const rating = parseResidentRating(fields);
	const before = await viewOf(db, tracking, tail);
	const check = checkTransition(before.status, 'evaluate', { pendingWhistles: 0, satisfaction: null, solved: null });
	if (!check.ok) {
		const why = before.status === 'evaluated' || before.status === 'closed' ? '这次办理已经评价过了' : `诉求现在“${before.statusLabel}”，办结后才能评价`;
		throw new ApiError(422, 'illegal_transition', why, 'satisfaction');
	}
	const version = Number(fields.version) || before.version;
	try {
		await db.sql`SELECT resident_evaluate(${tracking}, ${tail}, ${version}, ${rating.satisfaction}, ${rating.solved}, ${now})`;
	} catch (e) {
		const refused = fromDatabaseError(e);
		if (refused?.status === 409) throw new ApiError(409, 'conflict', '诉求刚刚有了新进展，请查看后再评价', 'version');
		throw refused ?? e;
	}
	return viewOf(db, tracking, tail);
}

