// The browser suite on @playwright/test: tests/browser/*.spec.mjs against the app started as a user
// starts it (tests/browser/global-setup.mjs: `node scripts/start.mjs` with PORT, HOST, DATA_DIR only),
// reached at http://grid.intranet:PORT in Debian's Chromium (no browser is downloaded).
//   npx playwright test [file or name filter]        (CHROMIUM_PATH, default /usr/bin/chromium)
//   E2E_BASE_URL=http://grid.intranet:3123 npx playwright test    against an app already running
// One worker by default: on the 2 cores CI has, two (E2E_WORKERS=2, each with an app and data of
// its own, global-setup.mjs) finished the suite only 10 % sooner, and the busier machine made
// timing-bound cases fail (a tap mid-animation, a 5 s live notice). The cases of a file run in
// order on one worker. E2E_BASE_URL (an app already running) is one app, so one worker.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS } from './tests/support/browser.mjs';

export default defineConfig({
	testDir: 'tests/browser',
	testMatch: '*.spec.mjs',
	globalSetup: './tests/browser/global-setup.mjs',
	// not test-results/ itself: Playwright empties its output folder, and the other suites write there
	outputDir: 'test-results/browser',
	workers: process.env.E2E_BASE_URL ? 1 : Math.max(1, Number(process.env.E2E_WORKERS) || 1),
	fullyParallel: false,
	retries: 0,
	timeout: 300_000,
	expect: { timeout: 15_000 },
	reporter: [['list'], ['json', { outputFile: 'test-results/browser-report.json' }]],
	use: {
		browserName: 'chromium',
		locale: 'zh-CN',
		launchOptions: { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_FLAGS },
		// a trace records every step of every case: costly on a shared 2-core machine, so on request
		trace: process.env.PW_TRACE ? 'retain-on-failure' : 'off',
		screenshot: 'only-on-failure'
	}
});
