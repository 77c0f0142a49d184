#!/usr/bin/env node
// npm start: build the app when the build is missing or older than the sources, then serve it on
// PORT (3000) with the embedded database under ./data (or DATABASE_URL). The first start seeds the
// demo district and the page shows its progress. The server itself is scripts/serve.mjs (plain http
// at any address, https behind TRUST_PROXY, graceful shutdown); this process only passes signals
// on and never outlives it, nor lets it outlive this process (the IPC channel tells it).
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from './sources.mjs';

const BUILT = 'build/index.js';

const t0 = Date.now();
if (!buildIsCurrent(BUILT)) {
	console.log('[start] 正在构建应用 (vite build)…');
	const built = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (built.status !== 0) process.exit(built.status ?? 1);
	console.log(`[start] 构建完成，用时 ${((Date.now() - t0) / 1000).toFixed(1)} 秒`);
}
const port = process.env.PORT ?? '3000';
console.log(`[start] 网格治理地图 → ${process.env.TLS_CERT_FILE ? 'https' : 'http'}://localhost:${port}/  (数据库：${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `内置 PGlite ${path.join(process.env.DATA_DIR || './data', 'pglite')}`})`);
// 64 MB: district imports upload files this large; each endpoint sets its own, smaller limit
const server = spawn(process.execPath, [fileURLToPath(new URL('./serve.mjs', import.meta.url))], {
	stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
	env: { BODY_SIZE_LIMIT: '64M', ...process.env, PORT: port }
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
// npm (or whoever started us) gone without a signal: we were re-parented, so stop the server too
const parent = process.ppid;
setInterval(() => {
	if (process.ppid !== parent) server.kill('SIGTERM');
}, 1000).unref();
