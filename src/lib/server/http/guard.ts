// Checks every request gets before any endpoint reads it (called once from hooks.server.ts):
// - anonymous bodies are small: sign-in forms and Open311 posts must not make the server buffer
//   BODY_SIZE_LIMIT (64 MB, there for signed-in imports) for whoever asks. Content-Length is
//   checked first; a chunked body is counted while it streams and refused at the cap.
// - no text input may hold a NUL (PostgreSQL refuses it, which used to end as a 500): the query
//   string here, anonymous form/JSON bodies here, signed-in JSON in readJson.
import type { RequestEvent } from '@sveltejs/kit';
import { ApiError, fieldWithNul, nulParam, refuseNulFields } from '../../domain/apierror';
import { RESIDENT_BODY_MAX_BYTES } from '../../domain/resident';

/** Sign-in forms and anything else posted without a session. */
export const ANONYMOUS_BODY_MAX_BYTES = 16 * 1024;
/** Open311 posts: text fields and a media_url; GeoReport v2 sends no files inline. */
export const OPEN311_BODY_MAX_BYTES = 1024 * 1024;

const HAS_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function bodyCap(event: RequestEvent, signedIn: boolean): number | null {
	const path = event.url.pathname;
	if (/^\/login(\/|$)/.test(path)) return ANONYMOUS_BODY_MAX_BYTES;
	if (signedIn) return null;
	// 网上点单: up to three photos the phone has resized (~0.3 MB each)
	if (/^\/r(\/|$)/.test(path)) return RESIDENT_BODY_MAX_BYTES;
	return path.startsWith('/open311/') ? OPEN311_BODY_MAX_BYTES : ANONYMOUS_BODY_MAX_BYTES;
}

const tooLarge = (cap: number) =>
	new ApiError(413, 'payload_too_large', `请求体过大：未登录时上限 ${cap >= 1048576 ? `${cap / 1048576} MB` : `${cap / 1024} KB`}`);

/** Reads at most `cap` bytes of a copy of the body; the endpoint still reads the original. */
async function countBody(request: Request, cap: number): Promise<Uint8Array | null> {
	const reader = request.clone().body?.getReader();
	if (!reader) return new Uint8Array();
	const parts: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > cap) {
			// not awaited: a tee'd branch's cancel settles only once the endpoint's branch is cancelled too
			reader.cancel().catch(() => {});
			return null;
		}
		parts.push(value);
	}
	return Buffer.concat(parts);
}

function checkBodyText(type: string, bytes: Uint8Array): void {
	const text = new TextDecoder().decode(bytes);
	if (type.includes('application/x-www-form-urlencoded')) refuseNulFields(new URLSearchParams(text));
	else if (type.includes('application/json')) {
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			return; // the endpoint says what is wrong with it
		}
		const field = fieldWithNul(body);
		if (field) throw nulParam(field);
	} else if (text.includes('\u0000') && type.includes('multipart/form-data')) {
		// the part whose value holds the NUL: matching a control character is the point here
		// eslint-disable-next-line no-control-regex
		const name = /name="([^"]*)"[^]*?\r\n\r\n[^\r]*\u0000/.exec(text)?.[1];
		throw nulParam(name || 'body');
	}
}

/** null when the request may go on; else the answer that refuses it. */
export async function guardRequest(event: RequestEvent, signedIn: boolean): Promise<Response | null> {
	try {
		if (event.url.pathname.includes('%00')) throw nulParam('path');
		refuseNulFields(event.url.searchParams);
		const cap = HAS_BODY.has(event.request.method) ? bodyCap(event, signedIn) : null;
		if (cap !== null && event.request.body) {
			const declared = event.request.headers.get('content-length');
			if (declared !== null && Number(declared) > cap) throw tooLarge(cap);
			const bytes = await countBody(event.request, cap);
			if (!bytes) throw tooLarge(cap);
			const type = event.request.headers.get('content-type') ?? '';
			// 网上点单's photos are binary parts (NUL bytes are normal in a JPEG): its form action checks its text fields itself
			if (!(cap === RESIDENT_BODY_MAX_BYTES && type.includes('multipart/form-data'))) checkBodyText(type, bytes);
		}
		return null;
	} catch (e) {
		if (!(e instanceof ApiError)) throw e;
		return Response.json(e.toJSON(), { status: e.status, headers: { 'cache-control': 'no-store' } });
	}
}
