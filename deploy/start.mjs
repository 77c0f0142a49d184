#!/usr/bin/env node
// The start of the offline install bundle (`npm run bundle`; in the bundle it is bin/grid-governance-map,
// the command the systemd unit runs). Unlike `npm start` (scripts/start.mjs) it never builds: the
// bundle carries build/ and only production dependencies, no Vite. It serves the built app in THIS
// process through scripts/serve.mjs, so the signal systemd sends (SIGTERM) reaches the server
// itself and its graceful shutdown (SHUTDOWN_TIMEOUT) is the whole story of a stop.
//
// Paths: the migrations are found beside this file (not in the working directory), DATA_DIR and
// everything else keep their meaning (README: Configuration). Works in a checkout too, after a build:
// `node deploy/start.mjs`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
	console.error(`[start] 无法启动：需要 Node.js ≥ 20，当前为 ${process.version}（见 docs/install.md）`);
	process.exit(1);
}
if (!existsSync(path.join(root, 'build', 'handler.js'))) {
	console.error(`[start] 无法启动：${path.join(root, 'build')} 中没有构建好的应用（这个目录不是完整的安装包？）`);
	process.exit(1);
}
// read by src/lib/server/db/migrate.ts when the app loads; an operator's own choice is left alone
process.env.MIGRATIONS_DIR ??= path.join(root, 'db', 'migrations');
// as `npm start`: district imports upload files this large; each endpoint sets its own, smaller limit
process.env.BODY_SIZE_LIMIT ??= '64M';
const port = process.env.PORT ?? '3000';
console.log(
	`[start] 网格治理地图 → ${process.env.TLS_CERT_FILE ? 'https' : 'http'}://localhost:${port}/  (数据库：${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `内置 PGlite ${path.resolve(process.env.DATA_DIR || './data', 'pglite')}`})`
);
await import(pathToFileURL(path.join(root, 'scripts', 'serve.mjs')).href);
