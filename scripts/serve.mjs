#!/usr/bin/env node
// The HTTP server around the built app (build/handler.js, adapter-node's custom-server entry),
// used by `npm start` instead of build/index.js for two reasons:
//
// 1. The address the app believes it is served at comes from the connection (scripts/forwarded.mjs):
//    plain http at whatever host name the browser used works with no setting, https (served here
//    with TLS_CERT_FILE/TLS_KEY_FILE, scripts/tls.mjs, or by a proxy the operator trusts with
//    TRUST_PROXY=<its addresses> or 1) gets Secure cookies and HSTS. ORIGIN, when set, still wins,
//    as in adapter-node.
// 2. Shutdown in the order src/lib/server/lifecycle.ts describes: on SIGTERM/SIGINT (or when the
//    `npm start` process that spawned us goes away) stop accepting, end the live streams at once,
//    let in-flight requests finish for up to SHUTDOWN_TIMEOUT seconds (10), then close the
//    resources (database pools) and exit 0.
import process from 'node:process';
import { normaliseHeaders, PRIVATE, trustedProxies } from './forwarded.mjs';
import { createServer, tlsOptions } from './tls.mjs';

/** A setting that cannot work stops the start with its reason (naming the variable), not a stack. @param {() => any} read */
function setting(read) {
	try {
		return read();
	} catch (e) {
		console.error(`[server] 无法启动：${/** @type {Error} */ (e).message}`);
		process.exit(1);
	}
}
const trustProxy = setting(() => trustedProxies(process.env.TRUST_PROXY));
const tls = setting(() => tlsOptions(process.env));
const xffDepth = Number.parseInt(process.env.XFF_DEPTH ?? '1', 10) || 1;
const timeoutS = Number(process.env.SHUTDOWN_TIMEOUT ?? '10');
if (!Number.isFinite(timeoutS) || timeoutS < 0) throw new Error(`SHUTDOWN_TIMEOUT 应为秒数（非负数），而不是 “${process.env.SHUTDOWN_TIMEOUT}”`);

// adapter-node reads these once, when handler.js loads; an operator's own choice is left alone
process.env.PROTOCOL_HEADER ??= PRIVATE.proto;
process.env.HOST_HEADER ??= PRIVATE.host;
process.env.ADDRESS_HEADER ??= PRIVATE.addr;

// the same registry object src/lib/server/lifecycle.ts keeps (one per process, on globalThis)
/** @type {{ streams: Set<() => unknown>, resources: Set<() => unknown>, stopping: boolean }} */
const registry = /** @type {any} */ (globalThis)[Symbol.for('grid.lifecycle')] ??= { streams: new Set(), resources: new Set(), stopping: false };

const { handler } = await import(new URL('../build/handler.js', import.meta.url).href);

/** Responses not yet finished, to tell their connections to close once they are. */
const inFlight = new Set();
const server = setting(() => createServer((req, res) => {
	normaliseHeaders(req.headers, req.socket, { trustProxy, xffDepth });
	inFlight.add(res);
	if (registry.stopping) res.setHeader('connection', 'close');
	res.on('close', () => {
		inFlight.delete(res);
		if (registry.stopping) server.closeIdleConnections();
	});
	handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not Found');
	});
}, tls));

const host = process.env.HOST || '0.0.0.0';
const port = Number(process.env.PORT || 3000);
server.listen(port, host, () => console.log(`[server] listening on ${tls ? 'https' : 'http'}://${host}:${port} (pid ${process.pid})${trustProxy === true ? ' (TRUST_PROXY: X-Forwarded-* from any peer count)' : trustProxy ? ` (TRUST_PROXY: X-Forwarded-* count from ${process.env.TRUST_PROXY})` : ''}`));

/** Runs every closer of a phase; one that throws is logged and does not stop the others. */
async function runPhase(phase) {
	await Promise.all([...registry[phase]].map(async (fn) => {
		try {
			await fn();
		} catch (e) {
			console.error(`[server] shutdown (${phase}):`, e);
		}
	}));
}

/** @param {string} reason */
async function shutdown(reason) {
	if (registry.stopping) return; // a second signal (a terminal's Ctrl-C reaches npm start and us) changes nothing
	registry.stopping = true;
	const started = Date.now();
	console.log(`[server] 正在停止（${reason}）：不再接受新连接，${inFlight.size} 个进行中的请求最多再等 ${timeoutS} 秒`);
	const closed = new Promise((resolve) => server.close(() => resolve(true)));
	for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
	server.closeIdleConnections();
	await runPhase('streams');
	let timer;
	const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve(false), timeoutS * 1000)));
	const drained = await Promise.race([closed, timedOut]);
	clearTimeout(timer);
	if (!drained) {
		console.log(`[server] ${inFlight.size} 个请求在 ${timeoutS} 秒内未完成，连接被关闭（未提交的事务回滚）`);
		server.closeAllConnections();
	}
	process.emit(/** @type {any} */ ('sveltekit:shutdown'), reason);
	await runPhase('resources');
	console.log(`[server] 已停止，用时 ${Date.now() - started} ms`);
	process.exit(0);
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => void shutdown(signal));
// started by scripts/start.mjs with an IPC channel: if that process dies (even by SIGKILL) the
// channel closes and we stop too, instead of serving on as an orphan
if (process.channel) {
	process.channel.unref();
	process.on('disconnect', () => void shutdown('npm start 进程已退出'));
}
