// gzip for what the app renders itself (issue 18, a map visit ≤ 2 MB): the pages' HTML and their
// __data.json, and the JSON answers that do not come compressed already. The built files are sent
// precompressed by adapter-node (.br/.gz next to each file) and the cached map documents by
// sendCached (http/respond.ts); the map page's HTML (~37 KiB: the SSR markup and its data) went
// out as it was.
//
// Each chunk is flushed as it is written (Z_SYNC_FLUSH): a streamed answer (a page whose load
// streams a promise) still reaches the browser piece by piece. The live stream (text/event-stream)
// is never touched.
import type { Handle } from '@sveltejs/kit';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { constants, createGzip } from 'node:zlib';

/** Text types worth compressing; the event stream is not among them. */
const COMPRESSIBLE = /^(text\/(html|plain|css|csv|xml)|application\/([\w.+-]*\+)?(json|xml|javascript)|image\/svg\+xml)\s*(;|$)/i;
/** Below this the gzip header and the lost round of Content-Length cost more than they save. */
const MIN_BYTES = 1024;

/** Whether `response` to `request` should be gzipped here (pure: the rule, tested on its own). */
export function shouldCompress(request: Request, response: Response): boolean {
	if (request.method === 'HEAD' || !response.body) return false;
	// only good answers: errors are small, and observe reads their error code from the body
	if (response.status !== 200) return false;
	if (response.headers.has('content-encoding')) return false;
	if (!COMPRESSIBLE.test(response.headers.get('content-type') ?? '')) return false;
	if (/\bno-transform\b/.test(response.headers.get('cache-control') ?? '')) return false;
	const length = Number(response.headers.get('content-length') ?? NaN);
	if (Number.isFinite(length) && length < MIN_BYTES) return false;
	return acceptsGzip(request.headers.get('accept-encoding'));
}

/** `Accept-Encoding` names gzip (or *) without refusing it with q=0. */
export function acceptsGzip(header: string | null): boolean {
	if (!header) return false;
	for (const part of header.split(',')) {
		const [name, ...params] = part.trim().toLowerCase().split(';');
		if (name !== 'gzip' && name !== '*') continue;
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		return !q || Number(q.slice(2)) > 0;
	}
	return false;
}

/** The same response, its body gzipped on the way out. */
export function gzipResponse(response: Response): Response {
	const gzip = createGzip({ flush: constants.Z_SYNC_FLUSH });
	const body = Readable.toWeb(Readable.fromWeb(response.body as unknown as NodeReadableStream).pipe(gzip)) as unknown as ReadableStream;
	const headers = new Headers(response.headers);
	headers.set('content-encoding', 'gzip');
	headers.delete('content-length');
	const vary = headers.get('vary');
	if (!vary) headers.set('vary', 'accept-encoding');
	else if (!/\baccept-encoding\b|\*/i.test(vary)) headers.set('vary', `${vary}, accept-encoding`);
	// a strong ETag names the uncompressed bytes; the gzipped ones are only its weak equal
	const etag = headers.get('etag');
	if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
	return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

export const compression: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	return shouldCompress(event.request, response) ? gzipResponse(response) : response;
};
