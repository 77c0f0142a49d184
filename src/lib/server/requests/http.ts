// Request-loop endpoints' shared parsing: the move body, photos as data URLs (the JSON body: http/body.ts).
import { badParam } from '../../domain/apierror';
import { parseIdempotencyKey, parseVersion } from '../../domain/requestinput';
import type { MoveInput } from './transition';
import type { Photo } from './report';

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
