#!/usr/bin/env node
// `npm test`: every suite this machine can run, and a plain account of the ones it cannot.
//
//   1. svelte-kit sync (writes .svelte-kit/tsconfig.json, which tsconfig.json extends)
//   2. lint (not in a filtered run): ESLint (eslint.config.js) over src, tests, scripts and db, including the boundary
//      rules (src/lib/domain pure; src/lib/server never imported by client code).
//   3. vitest: tests/unit/** and tests/integration/** in one run. Integration cases written with
//      describeBackends run on PGlite always and on PostgreSQL when TEST_DATABASE_URL is set.
//   4. browser, when Chromium exists (/usr/bin/chromium or CHROMIUM_PATH): `npx playwright test`
//      (tests/browser/*.spec.mjs, playwright.config.mjs; no browser is downloaded); every case is
//      counted from Playwright's JSON report.
//   5. database faults: node tests/faults/run.mjs (PostgreSQL restarts under load, database down at
//      boot) on a private throwaway cluster, when the PostgreSQL 15 binaries exist.
//   5b. install bundle: node tests/bundle/run.mjs (`npm run bundle`, unpacked into an empty folder,
//      started with no network but loopback — unshare -n, so root — signed in, map read, SIGTERM).
//
// Usage: node scripts/test.mjs [vitest filters and options…]
// With arguments the vitest run is filtered, so the browser suite is left out (and says so).
// Exit status: 1 when anything that ran failed, else 0. A suite that did not run is reported as
// NOT RUN with its reason, never as passed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ID_NUMBER, MOBILE } from '../src/lib/domain/piipatterns.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const args = process.argv.slice(2);
const filtered = args.length > 0;
const pgUrl = process.env.TEST_DATABASE_URL || '';
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const NOT_RUN_EXIT = 77; // tests/faults/run.mjs: nothing to run
const LINTED = ['src', 'tests', 'scripts', 'db', 'deploy', 'eslint.config.js', 'svelte.config.js', 'vite.config.ts'];

/** @type {{ name: string, state: 'PASSED' | 'FAILED' | 'NOT RUN', detail: string }[]} */
const results = [];
const report = (name, state, detail) => results.push({ name, state, detail });

function banner(text) {
	console.log(`\n━━━ ${text} ${'━'.repeat(Math.max(3, 72 - text.length))}`);
}

/** Runs a command with inherited output; resolves to { code, ms, stdout } (stdout only when captured). */
function run(cmd, cmdArgs, { env = process.env, capture = false } = {}) {
	const started = Date.now();
	return new Promise((resolve) => {
		const child = spawn(cmd, cmdArgs, { env, stdio: ['inherit', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'] });
		let stdout = '';
		child.stdout?.on('data', (chunk) => {
			stdout += chunk;
			process.stdout.write(chunk);
		});
		child.stderr?.on('data', (chunk) => {
			stdout += chunk;
			process.stderr.write(chunk);
		});
		child.on('error', (err) => resolve({ code: 127, ms: Date.now() - started, stdout: String(err) }));
		child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), ms: Date.now() - started, stdout }));
	});
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const plural = (n, word) => `${n} ${word}`;

if (!existsSync('node_modules/.bin/vitest')) {
	console.error('node_modules/.bin/vitest is missing: run `npm ci` first.');
	process.exit(1);
}

// ── 1. svelte-kit sync ──────────────────────────────────────────────────────────────────────
banner('svelte-kit sync');
const sync = await run('npx', ['svelte-kit', 'sync']);
if (sync.code !== 0) {
	report('svelte-kit sync', 'FAILED', `exit ${sync.code}: the app cannot build like this (see the message above)`);
} else console.log('ok');

// ── 2. lint ─────────────────────────────────────────────────────────────────────────────────
banner('lint (eslint)');
if (filtered) {
	report('lint', 'NOT RUN', 'vitest arguments were given (a filtered run); run `npm test` alone for everything');
	console.log('NOT RUN: lint — filtered run');
} else {
	const lintJson = 'test-results/eslint.json';
	rmSync(lintJson, { force: true });
	const lint = await run('npx', ['eslint', '--format=json', '--output-file', lintJson, ...LINTED], { capture: true });
	let errors = 0;
	let warnings = 0;
	let files = 0;
	const firstErrors = [];
	let parsed = false;
	try {
		const json = JSON.parse(readFileSync(lintJson, 'utf8'));
		parsed = true;
		for (const f of json) {
			files++;
			errors += f.errorCount;
			warnings += f.warningCount;
			for (const m of f.messages) {
				if (m.severity !== 2) continue;
				const line = `${path.relative(root, f.filePath)}:${m.line}: ${m.message} (${m.ruleId})`;
				if (firstErrors.length < 20) firstErrors.push(line);
			}
		}
	} catch {
		report('lint', 'FAILED', `exit ${lint.code} and no JSON report: ESLint did not finish (see above)`);
	}
	for (const line of firstErrors) console.log(line);
	const tally = `${files} files, ${errors} errors, ${warnings} warnings (recommended rules not yet followed: eslint.config.js) (${seconds(lint.ms)})`;
	if (files && lint.code === 0 && errors === 0) report('lint', 'PASSED', tally);
	else if (parsed) report('lint', 'FAILED', `${tally}, exit ${lint.code}${firstErrors[0] ? `\n${' '.repeat(9)}first error: ${firstErrors[0]}` : ''}`);
	console.log(tally);
}

// ── 3. vitest: unit + integration ───────────────────────────────────────────────────────────
banner('unit + integration (vitest)');
if (pgUrl) console.log(`PostgreSQL integration cases run against ${redact(pgUrl)} (a fresh database per block).`);
else console.log('NOT RUN: PostgreSQL integration suite — TEST_DATABASE_URL is not set (.ci/run sets it)');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'grid-test-'));
const jsonFile = path.join(tmp, 'vitest.json');
const vitest = await run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`, ...args], { capture: true });
const logs = [['vitest output', vitest.stdout]];
summariseVitest(vitest, jsonFile);
rmSync(tmp, { recursive: true, force: true });

// ── 4. browser ──────────────────────────────────────────────────────────────────────────────
// tests/browser/*.spec.mjs on @playwright/test (playwright.config.mjs), against one app it starts.
banner('browser (tests/browser, Playwright)');
if (filtered) {
	report('browser', 'NOT RUN', 'vitest arguments were given (a filtered run); run `npm test` alone for everything');
	console.log('NOT RUN: browser suite — filtered run');
} else if (!existsSync(chromium)) {
	const why = `Chromium not found at ${chromium} (apt-get install chromium; .ci/run does this)`;
	report('browser', 'NOT RUN', why);
	console.log(`NOT RUN: browser suite — ${why}`);
} else {
	const env = { ...process.env, CHROMIUM_PATH: chromium, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
	const reportFile = 'test-results/browser-report.json';
	rmSync(reportFile, { force: true });
	const pw = await run('npx', ['playwright', 'test'], { env, capture: true });
	logs.push(['browser suite output (Playwright)', pw.stdout]);
	const serverLog = 'test-results/e2e/server.log';
	for (const [i, file] of [serverLog, 'test-results/e2e/server-2.log'].entries()) {
		if (existsSync(file)) logs.push([`app server log of the browser suite (Playwright${i ? `, app ${i + 1}` : ''})`, readFileSync(file, 'utf8')]);
	}
	/** @type {any} */
	let json = null;
	try {
		json = JSON.parse(readFileSync(reportFile, 'utf8'));
	} catch {
		// no report: the run did not get as far as the cases (see its output)
	}
	if (!json?.stats) {
		report('browser', 'FAILED', `exit ${pw.code} and no report: the suite did not run (see above; app log ${serverLog})`);
	} else {
		const { stats } = json;
		// a case skipped with a reason (test.skip(condition, reason): a tool it drives is missing, e.g.
		// GDAL's ogrinfo) could not run here: NOT RUN, per file. A case skipped without one was
		// skipped because an earlier step of its serial walk failed, which is already a failure.
		const notRun = new Map();
		const visit = (suite) => {
			for (const spec of suite.specs ?? []) {
				for (const t of spec.tests ?? []) {
					const reason = t.status === 'skipped' && t.annotations?.find((a) => a.type === 'skip' && a.description)?.description;
					if (reason) notRun.set(spec.file, reason);
				}
			}
			(suite.suites ?? []).forEach(visit);
		};
		(json.suites ?? []).forEach(visit);
		const tally = [`${stats.expected} passed`, `${stats.unexpected} failed`, stats.flaky ? `${stats.flaky} flaky` : '', stats.skipped ? `${stats.skipped} skipped` : '']
			.filter(Boolean)
			.join(', ');
		const skippedWithoutReason = stats.skipped - countSkippedWithReason(json);
		if (pw.code === 0 && stats.expected > 0 && stats.unexpected === 0 && stats.flaky === 0 && skippedWithoutReason === 0) report('browser', 'PASSED', `${tally} (${seconds(pw.ms)})`);
		else report('browser', 'FAILED', `${tally}, exit ${pw.code} (${seconds(pw.ms)})${failedCases(json)}`);
		for (const [file, reason] of notRun) report(`browser: ${file}`, 'NOT RUN', reason);
	}
}

/** The failed cases of a Playwright JSON report, a line each with the first line of the error, for
 *  the summary: the summary is what survives when only the tail of a CI log is kept. */
function failedCases(json) {
	const lines = [];
	const visit = (suite, titles) => {
		for (const spec of suite.specs ?? []) {
			for (const t of spec.tests ?? []) {
				if (t.status !== 'unexpected' && t.status !== 'flaky') continue;
				const result = (t.results ?? []).find((r) => r.status !== 'passed' && r.status !== 'skipped') ?? {};
				const error = String(result.error?.message ?? result.status ?? '').replace(/\x1b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim()) ?? '';
				lines.push(`${spec.file}:${spec.line} ${[...titles, spec.title].join(' › ')} — ${error.trim().slice(0, 240)}`);
			}
		}
		for (const child of suite.suites ?? []) visit(child, child.title && !child.title.endsWith('.mjs') ? [...titles, child.title] : titles);
	};
	(json.suites ?? []).forEach((s) => visit(s, []));
	return lines.slice(0, 10).map((l) => `\n${' '.repeat(9)}${l}`).join('');
}

// ── 5. database faults ──────────────────────────────────────────────────────────────────────
banner('database faults (tests/faults)');
if (filtered) {
	report('database faults', 'NOT RUN', 'vitest arguments were given (a filtered run); run `npm test` alone for everything');
	console.log('NOT RUN: database faults — filtered run');
} else {
	const faults = await run('node', ['tests/faults/run.mjs'], { capture: true });
	logs.push(['database faults output', faults.stdout]);
	for (const name of ['restart', 'boot']) {
		const serverLog = `test-results/faults/server-${name}.log`;
		if (existsSync(serverLog)) logs.push([`app server log of the fault suite (${name})`, readFileSync(serverLog, 'utf8')]);
	}
	const counts = /(\d+) passed, (\d+) failed\s*$/m.exec(faults.stdout);
	const tally = counts ? `${counts[1]} passed, ${counts[2]} failed` : 'no tally printed';
	const figures = [...faults.stdout.matchAll(/^\[fault\] (restart→last error over .*|down at boot: .*)$/gm)].map((m) => m[1]).join('; ');
	if (faults.code === NOT_RUN_EXIT) {
		report('database faults', 'NOT RUN', /^NOT RUN: database faults — (.*)$/m.exec(faults.stdout)?.[1] ?? 'nothing to run');
	} else if (faults.code === 0 && counts && Number(counts[1]) > 0 && counts[2] === '0') {
		report('database faults', 'PASSED', `${tally} (${seconds(faults.ms)})${figures ? `\n${' '.repeat(9)}${figures}` : ''}`);
	} else {
		report('database faults', 'FAILED', `${tally}, exit ${faults.code} (${seconds(faults.ms)})`);
	}
}

// ── 5b. install bundle ──────────────────────────────────────────────────────────────────────
// The offline install bundle installed and started as docs/install.md says, in a network namespace
// with nothing but loopback (tests/bundle/run.mjs); NOT RUN (exit 77) where unshare is not permitted.
banner('install bundle (tests/bundle)');
if (filtered) {
	report('install bundle', 'NOT RUN', 'vitest arguments were given (a filtered run); run `npm test` alone for everything');
	console.log('NOT RUN: install bundle — filtered run');
} else {
	const bundle = await run('node', ['tests/bundle/run.mjs'], { capture: true });
	logs.push(['install bundle output', bundle.stdout]);
	const counts = /install bundle: (\d+) passed, (\d+) failed\s*$/m.exec(bundle.stdout);
	const tally = counts ? `${counts[1]} passed, ${counts[2]} failed` : 'no tally printed';
	const figures = [...bundle.stdout.matchAll(/^\[bundle\] (?:figures|inside): (.*)$/gm)].map((m) => m[1]).join('; ');
	if (bundle.code === NOT_RUN_EXIT) {
		report('install bundle', 'NOT RUN', /^NOT RUN: install bundle — (.*)$/m.exec(bundle.stdout)?.[1] ?? 'nothing to run');
	} else if (bundle.code === 0 && counts && Number(counts[1]) > 0 && counts[2] === '0') {
		report('install bundle', 'PASSED', `${tally} (${seconds(bundle.ms)})${figures ? `\n${' '.repeat(9)}${figures}` : ''}`);
	} else {
		report('install bundle', 'FAILED', `${tally}, exit ${bundle.code} (${seconds(bundle.ms)})`);
	}
}

// ── 6. the logs of this run: no whole phone or ID number anywhere ──────────────────────────
banner('log check (personal data)');
{
	const found = logs.flatMap(([name, text]) => [...text.matchAll(ID_NUMBER), ...text.matchAll(MOBILE)].map((m) => `${name}: ${m[1]}…${m[2]}`));
	const scanned = logs.map(([name, text]) => `${name} ${(text.length / 1024).toFixed(0)} KiB`).join(', ');
	if (found.length) report('log check', 'FAILED', `${found.length} whole phone/ID number(s) in the logs, e.g. ${found.slice(0, 3).join('; ')}`);
	else report('log check', 'PASSED', `no whole phone or ID number in ${scanned}`);
	console.log(found.length ? `FOUND ${found.length}` : `ok — scanned ${scanned}`);
}

// ── summary ─────────────────────────────────────────────────────────────────────────────────
banner('summary');
const width = Math.max(...results.map((r) => r.name.length));
for (const r of results) console.log(`${r.state.padEnd(8)} ${r.name.padEnd(width)}  ${r.detail}`);
const failed = results.filter((r) => r.state === 'FAILED');
const ran = results.filter((r) => r.state !== 'NOT RUN' && r.name !== 'svelte-kit sync');
const notRun = results.filter((r) => r.state === 'NOT RUN');
const verdict = failed.length ? 'FAILED' : 'PASSED';
console.log(
	`\n${verdict}: ${plural(ran.length, 'suite(s)')} ran, ${plural(failed.length, 'failed')}` +
		(notRun.length ? `; NOT RUN: ${notRun.map((r) => r.name).join(', ')} (reasons above)` : '; nothing skipped')
);
process.exit(failed.length ? 1 : 0);

// ────────────────────────────────────────────────────────────────────────────────────────────

/** Cases of a Playwright JSON report skipped with a reason (test.skip(condition, reason)). */
function countSkippedWithReason(json) {
	let n = 0;
	const visit = (suite) => {
		for (const spec of suite.specs ?? []) {
			for (const t of spec.tests ?? []) if (t.status === 'skipped' && t.annotations?.some((a) => a.type === 'skip' && a.description)) n++;
		}
		(suite.suites ?? []).forEach(visit);
	};
	(json.suites ?? []).forEach(visit);
	return n;
}

function redact(url) {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return '(unparsable URL)';
	}
}

/** Splits vitest's JSON report into unit / integration·pglite / integration·postgres and reports each. */
function summariseVitest(vitest, file) {
	/** @type {any} */
	let json;
	try {
		json = JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		report('vitest', 'FAILED', `exit ${vitest.code} and no JSON report: vitest did not finish (see above)`);
		return;
	}
	const suites = new Map();
	const suite = (name) => {
		if (!suites.has(name)) suites.set(name, { passed: 0, failed: 0, skipped: 0, fileErrors: [], firstError: '' });
		return suites.get(name);
	};
	const UNIT = 'unit';
	const PGLITE = 'integration · pglite';
	const POSTGRES = 'integration · postgres';
	suite(UNIT);
	suite(PGLITE);
	suite(POSTGRES);
	for (const t of json.testResults ?? []) {
		const rel = path.relative(root, t.name);
		const group = rel.startsWith('tests/unit/') ? UNIT : 'integration';
		let fileFailures = 0;
		for (const a of t.assertionResults ?? []) {
			const backend = a.ancestorTitles.find((title) => title === 'pglite' || title === 'postgres');
			const s = suite(group === UNIT ? UNIT : backend ? `integration · ${backend}` : 'integration · other');
			if (a.status === 'passed') s.passed++;
			else if (a.status === 'failed') {
				s.failed++;
				s.firstError ||= `${a.fullName}: ${String(a.failureMessages?.[0] ?? '').split('\n')[0]}`;
				fileFailures++;
			} else s.skipped++;
		}
		// a file that failed with no failed case: an import error, a failing hook, an unhandled error
		if (t.status === 'failed' && fileFailures === 0) {
			const first = String(t.message || '').split('\n')[0] || 'failed outside any case (a hook, an import or an unhandled error: see above)';
			suite(group === UNIT ? UNIT : 'integration · other').fileErrors.push(`${rel}: ${first}`);
		}
	}
	let anyFailure = false;
	for (const [name, s] of suites) {
		const counts = [`${s.passed} passed`, `${s.failed} failed`, s.skipped ? `${s.skipped} skipped` : ''].filter(Boolean).join(', ');
		const errors =
			(s.fileErrors.length ? `; file errors: ${s.fileErrors.join(' | ')}` : '') +
			(s.firstError ? `\n${' '.repeat(9)}first failure: ${s.firstError.slice(0, 300)}` : '');
		if (s.failed || s.fileErrors.length) {
			anyFailure = true;
			report(name, 'FAILED', counts + errors);
		} else if (name === POSTGRES && !pgUrl) {
			report(name, 'NOT RUN', `TEST_DATABASE_URL is not set (.ci/run sets it)${s.skipped ? `; its ${s.skipped} cases were skipped` : ''}`);
		} else if (s.passed === 0) {
			if (filtered) report(name, 'NOT RUN', `no case matched the filter (${counts})`);
			else if (name === POSTGRES) report(name, 'FAILED', `TEST_DATABASE_URL is set but no PostgreSQL case ran (${counts})`);
			else if (name === 'integration · other') continue;
			else report(name, 'FAILED', `no case ran (${counts})`);
		} else {
			report(name, 'PASSED', counts);
		}
	}
	if (vitest.code !== 0 && !anyFailure) {
		report('vitest', 'FAILED', `exit ${vitest.code} although no case failed: unhandled error or crash (see above)`);
	}
	console.log(`vitest finished in ${seconds(vitest.ms)} (exit ${vitest.code})`);
}
