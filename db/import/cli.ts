// npm run import -- --layer grids --file x.geojson --crs gcj02 [--encoding gbk] [--commit] [--replace-demo] [--update [--retire-missing]] [--user admin] [--json]
// Imports a file into the configured database (DATABASE_URL, else $DATA_DIR/pglite — stop the
// server first: PGlite is one process). Without --commit it only previews. Prints the same
// per-row errors as /admin/import; exits 1 when the file or any row has an error, 2 on bad usage.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CRS_LIST, ImportFileError, LAYERS, type Crs, type Layer } from '../../src/lib/domain/import/types';
import { openConfigured } from '../../src/lib/server/db/client';
import { diffSummary } from '../../src/lib/domain/import/diff';
import type { SessionUser } from '../../src/lib/server/auth/user';
import { runImport } from '../../src/lib/server/import/run';
import { migrate } from '../../src/lib/server/db/migrate';

const USAGE = `用法：npm run import -- --layer <${LAYERS.join('|')}> --file <文件> --crs <${CRS_LIST.join('|')}> [--encoding auto|utf8|gbk] [--commit] [--replace-demo] [--update [--retire-missing]] [--user 用户名] [--json]`;

function usage(message: string): never {
	console.error(`${message}\n${USAGE}`);
	process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
	({ values } = parseArgs({
		options: {
			layer: { type: 'string' }, file: { type: 'string' }, crs: { type: 'string' }, encoding: { type: 'string', default: 'auto' },
			commit: { type: 'boolean', default: false }, 'replace-demo': { type: 'boolean', default: false },
			update: { type: 'boolean', default: false }, 'retire-missing': { type: 'boolean', default: false }, user: { type: 'string' }, json: { type: 'boolean', default: false }
		}
	}));
} catch (e) {
	usage((e as Error).message);
}
const layer = values.layer as Layer;
const crs = values.crs as Crs;
if (!LAYERS.includes(layer)) usage(`--layer 必须是 ${LAYERS.join('、')} 之一`);
if (!CRS_LIST.includes(crs)) usage(`--crs 必须明确给出：${CRS_LIST.join('、')}（坐标系不会被猜测）`);
if (!values.file) usage('缺少 --file');
if (!['auto', 'utf8', 'gbk'].includes(String(values.encoding))) usage('--encoding 必须是 auto、utf8 或 gbk');

const file = String(values.file);
let bytes: Uint8Array;
try {
	bytes = new Uint8Array(readFileSync(file));
} catch (e) {
	console.error(`无法读取文件 ${file}：${(e as Error).message}`);
	process.exit(1);
}

// owner's work (COPY, TRUNCATE): DATABASE_OWNER_URL when the app serves as another role (README)
const db = await openConfigured({ ...process.env, DATABASE_URL: process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL });
let exit = 0;
try {
	await migrate(db);
	let user: SessionUser | null = null;
	if (values.user) {
		[user] = await db.sql<SessionUser>`SELECT id, username, display_name AS "displayName", role, department_id AS "departmentId", title FROM users WHERE username = ${values.user}`;
		if (!user) throw new ImportFileError('no_user', `没有用户 ${values.user}`);
	}
	let lastPhase = '';
	const report = await runImport(db, user, { layer, crs, fileName: path.basename(file), bytes, encoding: values.encoding as 'auto', replaceDemo: !!values['replace-demo'],
		mode: values.update ? 'update' : 'append', retireMissing: !!values['retire-missing'] }, {
		commit: !!values.commit,
		onProgress: (p) => {
			if (values.json || p.phase === lastPhase) return;
			lastPhase = p.phase;
			console.error(`[import] ${p.phase}${p.total > 1 ? ` ${p.done}/${p.total}` : ''}`);
		}
	});
	if (values.json) console.log(JSON.stringify(report, null, 1));
	else {
		for (const i of [...report.errors, ...report.warnings]) console.log(`${i.level === 'error' ? '错误' : '提示'}  ${i.where}  ${i.field === 'geometry' ? '几何' : (i.field ?? '')}  ${i.message}`);
		if (report.diff) console.log(`按编码更新：${diffSummary(report.diff)}${report.diff.reshaped.map((e) => `\n  边界调整 ${e.code} ${e.name}：${e.beforeM2} → ${e.afterM2} 平方米（${e.changePct}%）`).join('')}`);
		console.log(`${report.fileName}：${report.total} 行，可导入 ${report.valid} 行，错误 ${report.errorCount} 处，提示 ${report.warningCount} 条（格式 ${report.format}${report.encoding ? `，编码 ${report.encoding}` : ''}）`);
		if (report.committed) console.log(`已提交（第 ${report.jobId} 次导入）：${Object.entries(report.inserted).map(([t, n]) => `${t} ${n}`).join('，')}`);
		else if (report.errorCount) console.log('有错误：未写入任何数据');
		else if (!values.commit) console.log('预览通过：加 --commit 写入');
	}
	if (report.errorCount) exit = 1;
} catch (e) {
	if (!(e instanceof ImportFileError)) throw e;
	console.error(`错误  ${e.message}`);
	exit = 1;
} finally {
	await db.close();
}
process.exit(exit);
