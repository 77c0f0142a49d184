// Open311 answers: JSON or XML as the path's extension says, errors as [{code, description}]
// with the HTTP status, readable from any origin (GeoReport clients are often browser apps).
import { ApiError } from '../../domain/apierror';
import { Open311Error, toXml, type Open311Format } from '../../domain/open311';
import { SeedingError } from '../db/database';
import { isDatabaseUnavailable } from '../db/client';

const TYPES: Record<Open311Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };
const CORS = { 'access-control-allow-origin': '*' };

export function open311Response(format: Open311Format, root: string, item: string, body: unknown, status = 200): Response {
	const text = format === 'json' ? JSON.stringify(body) : toXml(root, item, body as Record<string, unknown>[]);
	return new Response(text, { status, headers: { 'content-type': TYPES[format], ...CORS } });
}

export function open311ErrorResponse(e: unknown, format: Open311Format): Response {
	const err = e instanceof Open311Error ? e
		: e instanceof ApiError ? new Open311Error(e.status, e.message, e.field)
		: e instanceof SeedingError ? new Open311Error(503, e.message)
		: isDatabaseUnavailable(e) ? new Open311Error(503, '数据库暂时不可用，请稍后重试')
		: null;
	if (!err) console.error('[open311]', e);
	const out = err ?? new Open311Error(500, 'internal server error');
	return open311Response(format, 'errors', 'error', out.body(), out.status);
}

/** Runs an Open311 endpoint; whatever it throws becomes an Open311 error in the asked-for format. */
export async function open311(format: () => Open311Format, fn: () => Promise<Response>): Promise<Response> {
	try {
		return await fn();
	} catch (e) {
		let f: Open311Format = 'json';
		try {
			f = format();
		} catch {
			// an unknown extension: answer in JSON
		}
		return open311ErrorResponse(e, f);
	}
}

/** A POST body as flat strings: form-urlencoded (the standard), multipart, or a JSON object. */
export async function open311Fields(request: Request): Promise<Record<string, string>> {
	const type = request.headers.get('content-type') ?? '';
	if (type.includes('application/json')) {
		let body: unknown;
		try {
			body = await request.json();
		} catch {
			throw new Open311Error(400, 'the body is not valid JSON');
		}
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Open311Error(400, 'the body must be a JSON object');
		return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v == null ? '' : String(v)]));
	}
	try {
		const form = await request.formData();
		return Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : '']));
	} catch {
		throw new Open311Error(400, 'send the fields as application/x-www-form-urlencoded, multipart/form-data or JSON');
	}
}
