// Open311 answers: JSON or XML as the path's extension says, errors as [{code, description}]
// with the HTTP status, readable from any origin (GeoReport clients are often browser apps).
import { Open311Error, toXml, type Open311Format } from '../../domain/open311';
import { answerOrFail, INTERNAL, type Failure } from '../http/errors';

const TYPES: Record<Open311Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };
const CORS = { 'access-control-allow-origin': '*' };

export function open311Response(format: Open311Format, root: string, item: string, body: unknown, status = 200): Response {
	const text = format === 'json' ? JSON.stringify(body) : toXml(root, item, body as Record<string, unknown>[]);
	return new Response(text, { status, headers: { 'content-type': TYPES[format], ...CORS } });
}

/** A ready-made XML body (discovery, a service definition) with the XML content type. */
export function open311Xml(xml: string, status = 200): Response {
	return new Response(xml, { status, headers: { 'content-type': TYPES.xml, ...CORS } });
}

/** Open311's error format, [{code, description}] in the asked-for format. */
export function open311Failure({ error, retryAfterS }: Failure, format: Open311Format): Response {
	const out = error instanceof Open311Error ? error
		: error.status === 500 ? new Open311Error(500, INTERNAL.message)
		: new Open311Error(error.status, error.message, error.field);
	const res = open311Response(format, 'errors', 'error', out.body(), out.status);
	if (retryAfterS) res.headers.set('retry-after', String(retryAfterS));
	return res;
}

/** Runs an Open311 endpoint; whatever it throws becomes an Open311 error in the asked-for format. */
export function open311(format: () => Open311Format, fn: () => Promise<Response>): Promise<Response> {
	const asked = (): Open311Format => {
		try {
			return format();
		} catch {
			return 'json'; // an unknown extension: answer in JSON
		}
	};
	return answerOrFail(fn, (failure) => open311Failure(failure, asked()), 'open311');
}

/** A POST body as flat strings: form-urlencoded (the standard), multipart, or a JSON object. */
export async function open311Fields(request: Request): Promise<Record<string, string>> {
	const type = request.headers.get('content-type') ?? '';
	if (type.includes('application/json')) {
		let body: unknown;
		try {
			body = await request.json();
		} catch {
			throw new Open311Error(400, '请求体不是有效的 JSON');
		}
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Open311Error(400, '请求体必须是 JSON 对象');
		return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v == null ? '' : String(v)]));
	}
	try {
		const form = await request.formData();
		return Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : '']));
	} catch {
		throw new Open311Error(400, '请以 application/x-www-form-urlencoded、multipart/form-data 或 JSON 提交字段');
	}
}
