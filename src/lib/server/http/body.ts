// Reading a JSON request body: size-capped, an object, no NUL in any text (PostgreSQL refuses it).
import { ApiError, fieldWithNul, nulParam } from '../../domain/apierror';

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
