// Shared pieces of the browser-suite files: the Playwright specs (tests/browser/*.spec.mjs and
// playwright.config.mjs use BASE, API_BASE, CHROMIUM_FLAGS, artifacts and the host mapping) and
// the scripts not yet converted (tests/e2e/*.e2e.mjs, run by tests/e2e/run.mjs, which use the rest).
// This file is not a test itself.
//
// What run.mjs hands each file in its environment: BASE_URL, CHROMIUM_PATH, CHROMIUM_ARGS and
// E2E_ARTIFACTS (see run.mjs). The defaults below let a file also run by hand against a server
// that is already up:   BASE_URL=http://grid.intranet:3123 node tests/e2e/<name>.e2e.mjs
//
// The app is reached as a user on the intranet reaches it: by a host name (grid.intranet), over
// plain http. Chromium resolves that name through its --host-resolver-rules flag; this file gives
// the e2e process itself (Node's fetch, Playwright's page.request) the same rules, as a LAN's DNS
// would. A tool outside Node (GDAL's ogrinfo) takes API_BASE: the same server by its IP address.
import dns from 'node:dns';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

// playwright-core is resolved from the project (the e2e files run with the repository root as cwd)
const require = createRequire(path.join(process.cwd(), 'package.json'));
export const { chromium } = require('playwright-core');

const DEFAULT_CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
	'--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
	'--host-resolver-rules=MAP grid.intranet 127.0.0.1'];

/** CHROMIUM_ARGS split into flags: at spaces before "--" only, as a flag's value may hold spaces. */
export const CHROMIUM_FLAGS = process.env.CHROMIUM_ARGS?.split(/ +(?=--)/).map((a) => a.trim()).filter(Boolean) ?? DEFAULT_CHROMIUM_ARGS;

/** Chromium's "MAP <host> <ip>" host-resolver rules as a Map host → ip (other rule kinds ignored). */
export function hostRules(flags) {
	const rules = new Map();
	for (const flag of flags) {
		const m = /^--host-resolver-rules=(.*)$/.exec(flag);
		for (const rule of m ? m[1].split(',') : []) {
			const [kind, host, ip] = rule.trim().split(/\s+/);
			if (kind === 'MAP' && host && ip && !host.includes('*')) rules.set(host.toLowerCase(), ip);
		}
	}
	return rules;
}

const RULES = hostRules(CHROMIUM_FLAGS);
// the e2e process resolves those names as Chromium does (net.connect, and so fetch, calls
// dns.lookup; Playwright's request client calls dns.promises.lookup)
const mapped = (host) => (typeof host === 'string' && RULES.get(host.toLowerCase())) || host;
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {
	return lookup.call(this, mapped(host), ...rest);
};
const lookupAsync = dns.promises.lookup;
dns.promises.lookup = (host, ...rest) => lookupAsync(mapped(host), ...rest);

/** The app under test, without a trailing slash. */
export const BASE = (process.env.BASE_URL || 'http://grid.intranet:3123').replace(/\/$/, '');

/** The same server by IP address, for programs that do not share the host rules above. */
export const API_BASE = (() => {
	const u = new URL(BASE);
	u.hostname = RULES.get(u.hostname) ?? u.hostname;
	return u.origin;
})();

/** The folder for a file's screenshots and traces (E2E_ARTIFACTS, else test-results/e2e/<name>), created. */
export function artifacts(name) {
	const dir = process.env.E2E_ARTIFACTS || `test-results/e2e/${name}`;
	mkdirSync(dir, { recursive: true });
	return dir;
}

/**
 * A check counter. `check(name, ok, detail)` prints "ok   name — detail" or "FAIL name — detail"
 * (with `timed`, followed by "[N s]" since the counter was made); `fail(...parts)` prints
 * "FAIL …parts" and counts a failure; `finish()` prints the summary line and exits 1 if anything
 * failed, else 0. `runToEnd(browser, body)` runs `body`, counts a throw as the failed check
 * "<name> e2e ran to the end", closes the browser and finishes.
 *
 * The summary reads "\n<name> e2e: all checks passed" / "\n<name> e2e: N check(s) FAILED" unless
 * `passed` (a string) and `failed` (n => string) are given.
 */
export function createChecks(name, { timed = false, passed, failed } = {}) {
	const started = Date.now();
	let failures = 0;
	const passedLine = passed ?? `\n${name} e2e: all checks passed`;
	const failedLine = failed ?? ((n) => `\n${name} e2e: ${n} check(s) FAILED`);
	return {
		check(checkName, ok, detail = '') {
			const at = timed ? ` [${((Date.now() - started) / 1000).toFixed(0)} s]` : '';
			console.log(`${ok ? 'ok  ' : 'FAIL'} ${checkName}${detail ? ` — ${detail}` : ''}${at}`);
			if (!ok) failures++;
		},
		fail(...parts) {
			console.log('FAIL', ...parts);
			failures++;
		},
		get failures() {
			return failures;
		},
		finish() {
			console.log(failures ? failedLine(failures) : passedLine);
			process.exit(failures ? 1 : 0);
		},
		async runToEnd(browser, body) {
			try {
				await body();
			} catch (e) {
				this.check(`${name} e2e ran to the end`, false, e.stack || e.message);
			} finally {
				await browser.close();
			}
			this.finish();
		}
	};
}

/**
 * The page-side test hooks (src/lib/map/testhooks.ts): every context made from a browser of
 * launchBrowser() opens its pages with window.__GRID_TEST_HOOKS__ = true, set before any app
 * script runs, so the app exposes its map objects and ready flags (window.__gridmap …).
 */
export const enableTestHooks = (context) => context.addInitScript(() => {
	window.__GRID_TEST_HOOKS__ = true;
});

/** Chromium from CHROMIUM_PATH with the flags in CHROMIUM_ARGS (headless software WebGL); its contexts have the test hooks on. */
export async function launchBrowser() {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args: CHROMIUM_FLAGS
	});
	const newContext = browser.newContext.bind(browser);
	browser.newContext = async (options) => {
		const context = await newContext(options);
		await enableTestHooks(context);
		return context;
	};
	return browser;
}

/** Waits until /api/status says the demo district is ready; throws after `timeoutS` tries a second apart. */
export async function waitReady(timeoutS = 300) {
	for (let i = 0; i < timeoutS; i++) {
		const s = await fetch(`${BASE}/api/status`).then((r) => r.json()).catch(() => null);
		if (s?.ready) return;
		await new Promise((r) => setTimeout(r, 1000));
	}
	throw new Error(`the demo district was not ready after ${timeoutS} s`);
}

/** A page in a fresh browser context (`options` as for browser.newContext) that logs its uncaught errors. */
export async function openPage(browser, options = {}) {
	const context = await browser.newContext(options);
	const page = await context.newPage();
	page.on('pageerror', (e) => console.log('page error:', e.message));
	return { context, page };
}
