// Request-loop endpoints' shared parsing: the move body, photos as data URLs (the JSON body: http/body.ts).
import { badParam } from '../../domain/apierror';
import { parseIdempotencyKey, parseVersion } from '../../domain/requestinput';
import type { MoveInput } from './transition';
import type { Photo } from './report';

/** 'data:image/jpeg;base64,…' → Photo */
export function photoFromDataUrl(raw: unknown, field = 'photo'): Photo | null {
	if (raw === undefined || raw === null || raw === '') return null;
	const m = typeof raw === 'string' ? /^data:([\w/+.-]+);base64,([A-Za-z0-9+/=\s]+)$/.exec(raw) : null;
	if (!m) throw badParam(field, `照片（${field}）必须是 data:image/…;base64, 形式的图片`);
	return { type: m[1], bytes: new Uint8Array(Buffer.from(m[2], 'base64')) };
}

/** A JSON body's photos: `photos` (an array of data URLs) or the single `photo` of before. */
export function photosFromBody(body: Record<string, unknown>): Photo | Photo[] | null {
	if (body.photos === undefined || body.photos === null) return photoFromDataUrl(body.photo);
	if (!Array.isArray(body.photos)) throw badParam('photos', '照片（photos）必须是 data:image/…;base64, 图片的数组');
	return body.photos.map((raw) => photoFromDataUrl(raw, 'photos')).filter((p): p is Photo => p !== null);
}

/** A form's file fields named `field` (empty file inputs send a nameless empty file: skipped). */
export async function photosFromForm(form: FormData, field: string): Promise<Photo[]> {
	const files = form.getAll(field).filter((f): f is File => f instanceof File && f.size > 0);
	return Promise.all(files.map(async (f) => ({ type: f.type, bytes: new Uint8Array(await f.arrayBuffer()) })));
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

/** 合并's original: a request id, or an 诉求编号 (two letters, the Beijing date, then the id). */
function intoParam(raw: unknown): number | null {
	if (raw === undefined || raw === null || raw === '') return null;
	const s = String(raw).trim();
	const m = /^(?:[A-Z]{2}\d{8})?(\d{1,15})$/i.exec(s);
	const n = m ? Number(m[1]) : NaN;
	if (!Number.isSafeInteger(n) || n <= 0) throw badParam('into', `原诉求（into）必须是诉求编号（SQ…）或正整数，收到 ${JSON.stringify(raw)}`);
	return n;
}

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
		mediatorId: optionalInt(b.mediatorId, 'mediatorId'),
		into: intoParam(b.into),
		// JSON: data URLs (a form's files are read by the form action)
		photos: Array.isArray(b.photos) ? b.photos.map((raw) => photoFromDataUrl(raw, 'photos')).filter((p): p is Photo => p !== null) : []
	};
}
