// Process lifecycle: what must happen when the server is told to stop (SIGTERM/SIGINT).
//
// The HTTP server (scripts/serve.mjs) owns the order: stop accepting, end long-lived streams at
// once (they never finish by themselves), let in-flight requests finish up to SHUTDOWN_TIMEOUT,
// then run the closers registered here (database pools last) and exit 0. The registry lives on
// globalThis under a Symbol.for key because the server script and the SvelteKit bundle are
// separate module graphs in one process: a module-level array would exist twice.

export type Phase = 'streams' | 'resources';

interface Registry {
	streams: Set<() => void | Promise<void>>;
	resources: Set<() => void | Promise<void>>;
	stopping: boolean;
}

const KEY = Symbol.for('grid.lifecycle');
const registry: Registry = ((globalThis as Record<symbol, unknown>)[KEY] ??= {
	streams: new Set(),
	resources: new Set(),
	stopping: false
}) as Registry;

/**
 * Registers `fn` to run at shutdown: 'streams' when shutdown starts (SSE and other streams that
 * would otherwise hold their connection open), 'resources' after the last request has finished
 * (database pools). Returns the unregister.
 */
export function onShutdown(phase: Phase, fn: () => void | Promise<void>): () => void {
	registry[phase].add(fn);
	return () => registry[phase].delete(fn);
}

/** True once shutdown has begun: new long-lived work (a stream, a retry loop) should not start. */
export function isStopping(): boolean {
	return registry.stopping;
}
