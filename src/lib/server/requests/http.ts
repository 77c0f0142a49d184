// Request-loop endpoints' shared parsing: the JSON body, the move body, photos as data URLs.
import { ApiError, badParam, fieldWithNul, nulParam } from '../../domain/apierror';
import { parseIdempotencyKey, parseVersion } from '../../domain/requestinput';
import type { MoveInput } from './transition';
import type { Photo } from './report';

/** JSON bodies: a request with a 5 MB photo as base64 fits; anything bigger is refused unread. */
export const JSON_BODY_MAX_BYTES = 8 * 1024 * 1024;

export async function readJson(request: Request): Promise<Record<string, unknown>> {
	const tooLarge = () => new ApiError(413, 'payload_too_large', `请求体过大：上限 ${JSON_BODY_MAX_BYTES / 1048576} MB`);
	if (Number(request.headers.get('content-length') ?? 0) > JSON_BODY_MAX_BYTES) throw tooLarge();
	let body: unknown;
	try {
		const text = await request.text();
		if (text.length > JSON_BODY_MAX_BYTES) throw tooLarge();
		body = JSON.parse(text);
	} catch (e) {
		if (e instanceof ApiError) throw e;
		// the server's own body limit (BODY_SIZE_LIMIT) says 413 too
		if ((e as { status?: number })?.status === 413) throw tooLarge();
		throw new ApiError(400, 'invalid_body', '请求体不是合法的 JSON');
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'invalid_body', '请求体必须是 JSON 对象');
	const nul = fieldWithNul(body);
	if (nul) throw nulParam(nul);
	return body as Record<string, unknown>;
}

/** 'data:image/jpeg;base64,…' → Photo */
export function photoFromDataUrl(raw: unknown): Photo | null {
	if (raw === undefined || raw === null || raw === '') return null;
	const m = typeof raw === 'string' ? /^data:([\w/+.-]+);base64,([A-Za-z0-9+/=\s]+)$/.exec(raw) : null;
	if (!m) throw badParam('photo', '照片（photo）必须是 data:image/…;base64, 形式的图片');
	return { type: m[1], bytes: new Uint8Array(Buffer.from(m[2], 'base64')) };
}

const ids = (raw: unknown, field: string): number[] => {
	const list = Array.isArray(raw) ? raw : typeof raw === 'string' && raw ? raw.split(',') : [];
	return list.map((x) => {
		const n = Number(x);
		if (!Number.isSafeInteger(n) || n <= 0) throw badParam(field, `部门编号（${field}）必须是正整数，收到 ${JSON.stringify(x)}`);
		return n;
	});
};

const optionalInt = (raw: unknown, field: string) => (raw === undefined || raw === null || raw === '' ? null : ids([raw], field)[0]);

/** A move from a JSON body or form fields, with If-Match / Idempotency-Key headers taking precedence. */
export function parseMove(requestId: number, b: Record<string, unknown>, headers: Headers): MoveInput {
	if (typeof b.action !== 'string' || !b.action) throw badParam('action', '缺少操作（action）');
	const solvedRaw = b.solved;
	const solved = solvedRaw === true || solvedRaw === 'true' ? true : solvedRaw === false || solvedRaw === 'false' ? false : null;
	return {
		requestId,
		action: b.action,
		version: parseVersion(headers.get('if-match') ?? b.version, headers.get('if-match') ? 'If-Match' : 'version'),
		idempotencyKey: parseIdempotencyKey(headers.get('idempotency-key') ?? (b.idempotencyKey as string | undefined)),
		reason: typeof b.reason === 'string' ? b.reason : null,
		departmentId: optionalInt(b.departmentId, 'departmentId'),
		departments: ids(b.departments, 'departments'),
		satisfaction: typeof b.satisfaction === 'string' ? b.satisfaction : null,
		solved,
		claimedBy: typeof b.claimedBy === 'string' ? b.claimedBy : null,
		mediatorId: optionalInt(b.mediatorId, 'mediatorId')
	};
}
