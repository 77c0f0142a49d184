// Prometheus metrics (issue 21), with prom-client: request latency by SvelteKit route id (never the
// raw path, so no id or name ever becomes a label), error counts by status and the API's error
// code, database use, cache hits, live (SSE) clients, import/export jobs, and prom-client's process
// metrics. Served by /metrics (routes/metrics), which checks who asks. One registry per process,
// kept on globalThis: `vite dev` re-evaluates server modules, and a metric registered twice throws.
import client from 'prom-client';

type Backend = 'pglite' | 'postgres';
type JobKind = 'import' | 'import_preview' | 'export';
type JobEnd = 'finished' | 'failed' | 'cancelled';

function create() {
	const registry = new client.Registry();
	client.collectDefaultMetrics({ register: registry });
	const m = {
		registry,
		httpDuration: new client.Histogram({
			name: 'http_request_duration_seconds',
			help: 'Time from a request reaching the app to its response headers, by SvelteKit route id, method and status class',
			labelNames: ['route', 'method', 'status_class'] as const,
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
			registers: [registry]
		}),
		httpErrors: new client.Counter({
			name: 'http_errors_total',
			help: 'Answers with status 400 and above, by route id, status and the API error code (error.code of the JSON body; "none" when there is none)',
			labelNames: ['route', 'status', 'code'] as const,
			registers: [registry]
		}),
		httpNotModified: new client.Counter({
			name: 'http_not_modified_total',
			help: '304 answers (the browser\'s cached copy was still current), by route id',
			labelNames: ['route'] as const,
			registers: [registry]
		}),
		dbInFlight: new client.Gauge({
			name: 'db_queries_in_flight',
			help: 'Statements and transactions the app is waiting on (each holds or waits for a connection; PGlite: the queue of its one connection)',
			labelNames: ['backend'] as const,
			registers: [registry]
		}),
		dbPoolSize: new client.Gauge({
			name: 'db_pool_size',
			help: 'Connections the app may open (DATABASE_POOL_MAX on PostgreSQL, 1 on PGlite)',
			labelNames: ['backend'] as const,
			registers: [registry]
		}),
		dbWaiting: new client.Gauge({
			name: 'db_pool_waiting',
			help: 'Statements and transactions beyond the pool size: waiting for a connection (estimated from db_queries_in_flight)',
			labelNames: ['backend'] as const,
			registers: [registry],
			collect() {
				for (const [backend, n] of inFlight) this.set({ backend }, Math.max(0, n - (poolSize.get(backend) ?? 1)));
			}
		}),
		dbDuration: new client.Histogram({
			name: 'db_query_duration_seconds',
			help: 'Time of one statement or one whole transaction, as the app waits for it (queueing included)',
			labelNames: ['backend', 'kind', 'outcome'] as const,
			buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
			registers: [registry]
		}),
		cacheLookups: new client.Counter({
			name: 'cache_lookups_total',
			help: 'In-process cache lookups by cache and result (hit or miss): map = tiles and map documents, others TtlCache',
			labelNames: ['cache', 'result'] as const,
			registers: [registry]
		}),
		sseClients: new client.Gauge({
			name: 'sse_clients',
			help: 'Open live-feed (server-sent events) streams',
			registers: [registry]
		}),
		jobsRunning: new client.Gauge({
			name: 'jobs_running',
			help: 'Import and export jobs under way',
			labelNames: ['kind'] as const,
			registers: [registry]
		}),
		jobsDone: new client.Counter({
			name: 'jobs_total',
			help: 'Import and export jobs ended, by kind and outcome (finished, failed, cancelled)',
			labelNames: ['kind', 'outcome'] as const,
			registers: [registry]
		})
	};
	m.sseClients.set(0);
	for (const kind of ['import', 'import_preview', 'export'] as const) m.jobsRunning.set({ kind }, 0);
	return m;
}

const inFlight = new Map<Backend, number>();
const poolSize = new Map<Backend, number>();

const KEY = Symbol.for('grid.metrics');
export const metrics: ReturnType<typeof create> = ((globalThis as Record<symbol, unknown>)[KEY] ??= create()) as ReturnType<typeof create>;

/** The exposition text and its content type. */
export async function exposition(): Promise<{ body: string; contentType: string }> {
	return { body: await metrics.registry.metrics(), contentType: metrics.registry.contentType };
}

/** "2xx" … "5xx" */
export const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

/** An error code as a label: the app's codes are short snake_case words; anything else is "other". */
export const codeLabel = (code: unknown) => (typeof code === 'string' && /^[a-z][a-z0-9_]{0,39}$/.test(code) ? code : code == null ? 'none' : 'other');

export function countCacheLookup(cache: string, hit: boolean): void {
	metrics.cacheLookups.inc({ cache, result: hit ? 'hit' : 'miss' });
}

export function sseOpened(): () => void {
	metrics.sseClients.inc();
	let open = true;
	return () => {
		if (open) metrics.sseClients.dec();
		open = false;
	};
}

/** A job has started: call the returned function once with how it ended (later calls do nothing). */
export function jobStarted(kind: JobKind): (outcome: JobEnd) => void {
	metrics.jobsRunning.inc({ kind });
	let running = true;
	return (outcome) => {
		if (!running) return;
		running = false;
		metrics.jobsRunning.dec({ kind });
		metrics.jobsDone.inc({ kind, outcome });
	};
}

/** Counts `work` as a job: finished when it resolves, failed when it rejects. */
export async function trackJob<T>(kind: JobKind, work: () => Promise<T>): Promise<T> {
	const end = jobStarted(kind);
	try {
		const result = await work();
		end('finished');
		return result;
	} catch (e) {
		end('failed');
		throw e;
	}
}

/** A streamed job (an export): running until the stream ends, fails or the client goes away. */
export function trackStream(kind: JobKind, source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
	const end = jobStarted(kind);
	const reader = source.getReader();
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			try {
				const { value, done } = await reader.read();
				if (done) {
					end('finished');
					controller.close();
				} else controller.enqueue(value);
			} catch (e) {
				end('failed');
				controller.error(e);
			}
		},
		cancel(reason) {
			end('cancelled');
			return reader.cancel(reason);
		}
	});
}

/** Database use, for db/instrument.ts. */
export const dbMetrics = {
	configure(backend: Backend, size: number) {
		poolSize.set(backend, size);
		inFlight.set(backend, inFlight.get(backend) ?? 0);
		metrics.dbPoolSize.set({ backend }, size);
		metrics.dbInFlight.set({ backend }, inFlight.get(backend)!);
	},
	/** a statement or transaction starts: the returned function ends it */
	start(backend: Backend, kind: 'query' | 'transaction' | 'exec'): (ok: boolean) => void {
		inFlight.set(backend, (inFlight.get(backend) ?? 0) + 1);
		metrics.dbInFlight.inc({ backend });
		const t0 = performance.now();
		return (ok) => {
			inFlight.set(backend, (inFlight.get(backend) ?? 1) - 1);
			metrics.dbInFlight.dec({ backend });
			metrics.dbDuration.observe({ backend, kind, outcome: ok ? 'ok' : 'error' }, (performance.now() - t0) / 1000);
		};
	}
};
