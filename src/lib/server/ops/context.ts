// The request a log line is written for: one AsyncLocalStorage per process (on globalThis, as the
// server script and the SvelteKit bundle are separate module graphs in one process), entered by
// hooks/observe.ts for every request. Everything awaited while handling it sees the same store.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

export interface RequestContext {
	/** X-Request-Id: the caller's when it was a sane token, else ours */
	id: string;
	/** the API error code of the answer, noted where the error answer is made (for /metrics) */
	errorCode?: string;
}

const KEY = Symbol.for('grid.requestContext');
export const requestContext: AsyncLocalStorage<RequestContext> = ((globalThis as Record<symbol, unknown>)[KEY] ??=
	new AsyncLocalStorage<RequestContext>()) as AsyncLocalStorage<RequestContext>;

/** Short, and only what fits in a header and a log line unescaped: letters, digits, . _ : - */
const SANE_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** The incoming X-Request-Id when it is a sane token (a proxy's or a client's), else a new one. */
export function requestIdFrom(incoming: string | null): string {
	return incoming && SANE_ID.test(incoming) ? incoming : randomBytes(12).toString('base64url');
}

/** Notes the error code the answer carries: cheaper than reading it back from the body. */
export function noteErrorCode(code: string): void {
	const store = requestContext.getStore();
	if (store) store.errorCode = code;
}

export const currentRequestId = (): string | undefined => requestContext.getStore()?.id;
