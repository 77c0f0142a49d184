// What every browser-suite file shares (tests/browser/*.spec.mjs, tests/browser/fixtures.mjs and
// playwright.config.mjs): where the app is (BASE, API_BASE), the Chromium flags, the folder for
// artifacts, and the page-side test hooks. Not a test itself.
//
// The app is reached as a user on the intranet reaches it: by a host name (grid.intranet), over
// plain http. Chromium resolves that name through its --host-resolver-rules flag; this file gives
// the test process itself (Node's fetch, Playwright's page.request) the same rules, as a LAN's DNS
// would. A tool outside Node (GDAL's ogrinfo) takes API_BASE: the same server by its IP address.
import dns from 'node:dns';
import { mkdirSync } from 'node:fs';

/** Headless software WebGL (swiftshader) and grid.intranet → 127.0.0.1. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
	'--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
	'--host-resolver-rules=MAP grid.intranet 127.0.0.1'];

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
// the test process resolves those names as Chromium does (net.connect, and so fetch, calls
// dns.lookup; Playwright's request client calls dns.promises.lookup)
const mapped = (host) => (typeof host === 'string' && RULES.get(host.toLowerCase())) || host;
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {
	return lookup.call(this, mapped(host), ...rest);
};
const lookupAsync = dns.promises.lookup;
dns.promises.lookup = (host, ...rest) => lookupAsync(mapped(host), ...rest);

/**
 * The app under test, without a trailing slash: this worker's own of BASE_URLS (one app per
 * worker, set by tests/browser/global-setup.mjs; TEST_PARALLEL_INDEX is the worker's slot, kept
 * when a worker is replaced after a failure), or BASE_URL for a tool run outside the suite.
 */
export const BASE = (() => {
	const bases = (process.env.BASE_URLS || process.env.BASE_URL || 'http://grid.intranet:3123').split(',');
	return bases[Number(process.env.TEST_PARALLEL_INDEX || 0) % bases.length].replace(/\/$/, '');
})();

/** The same server by IP address, for programs that do not share the host rules above. */
export const API_BASE = (() => {
	const u = new URL(BASE);
	u.hostname = RULES.get(u.hostname) ?? u.hostname;
	return u.origin;
})();

/** The folder for a file's screenshots (test-results/e2e/<name>), created. */
export function artifacts(name) {
	const dir = `test-results/e2e/${name}`;
	mkdirSync(dir, { recursive: true });
	return dir;
}

/**
 * The page-side test hooks (src/lib/map/testhooks.ts): a context given to this opens its pages
 * with window.__GRID_TEST_HOOKS__ = true, set before any app script runs, so the app exposes its
 * map objects and ready flags (window.__gridmap …).
 */
export const enableTestHooks = (context) => context.addInitScript(() => {
	window.__GRID_TEST_HOOKS__ = true;
});

/** `browser` with every context it makes from now on opened with the test hooks on (see enableTestHooks). */
export function withTestHooks(browser) {
	const newContext = browser.newContext.bind(browser);
	browser.newContext = async (options) => {
		const context = await newContext(options);
		await enableTestHooks(context);
		return context;
	};
	return browser;
}
